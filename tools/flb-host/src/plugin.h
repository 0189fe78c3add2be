/*
 * plugin.h - one loaded plugin .so: dlopen, FLBPluginPreRegister,
 * FLBPluginRegister and the checks Fluent Bit applies to what it
 * registered, the entry points found with dlsym, and at the end
 * FLBPluginUnregister + dlclose.
 */
#ifndef FLB_HOST_PLUGIN_H
#define FLB_HOST_PLUGIN_H

#include <stddef.h>

#include "abi.h"

struct plugin {
    const char *path;
    void *handle;
    /* as filled by FLBPluginRegister: a calloc'd 48-byte def (Fluent Bit
     * 5.1.1), or with def_size 40 or 32 the last bytes of a page followed
     * by a PROT_NONE page (def_pages), where what lies past them faults */
    struct flb_plugin_proxy_def *def;
    size_t def_size;                   /* 48, 40 or 32 (--proxy-def-size) */
    void *def_pages;                   /* the two pages of a smaller def */
    char *name;                        /* our copy of def->name */
    int instance_count;                /* instances created so far (NAME.K) */

    abi_init_fn init;
    abi_pre_run_fn pre_run;            /* optional */
    abi_flush_ctx_fn flush_ctx;
    abi_pre_exit_fn pre_exit;          /* optional */
    abi_exit_ctx_fn exit_ctx;          /* optional */
    abi_unregister_fn unregister;      /* optional */
};

/* load and register with a def of def_size bytes (ABI_PROXY_DEF_SIZE_5_1_1,
 * _4_2 or _4_1); 0 on success, -1 after printing why */
int plugin_load(struct plugin *p, const char *path, size_t def_size);
/* allocates p->def (p->def_size bytes) and calls FLBPluginRegister on it:
 * the name of Fluent Bit's own loader, the one symbol the host exports */
int flb_plugin_proxy_register(struct plugin *p, abi_register_fn do_register);
/* FLBPluginUnregister (if exported) then dlclose */
void plugin_unload(struct plugin *p);

#endif
