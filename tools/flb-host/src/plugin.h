/*
 * plugin.h - one loaded plugin .so: dlopen, FLBPluginPreRegister,
 * FLBPluginRegister and the checks Fluent Bit applies to what it
 * registered, the entry points found with dlsym, and at the end
 * FLBPluginUnregister + dlclose.
 */
#ifndef FLB_HOST_PLUGIN_H
#define FLB_HOST_PLUGIN_H

#include "abi.h"

struct plugin {
    const char *path;
    void *handle;
    struct flb_plugin_proxy_def def;   /* as filled by FLBPluginRegister */
    char *name;                        /* our copy of def.name */
    int instance_count;                /* instances created so far (NAME.K) */

    abi_init_fn init;
    abi_pre_run_fn pre_run;            /* optional */
    abi_flush_ctx_fn flush_ctx;        /* preferred */
    abi_flush_fn flush;                /* fallback */
    abi_pre_exit_fn pre_exit;          /* optional */
    abi_exit_ctx_fn exit_ctx;          /* preferred */
    abi_exit_fn exit;                  /* fallback */
    abi_unregister_fn unregister;      /* optional */
};

/* load and register (FLBPluginPreRegister gets hot_reloading); 0 on
 * success, -1 after printing why */
int plugin_load(struct plugin *p, const char *path, int hot_reloading);
/* FLBPluginUnregister (if exported) then dlclose */
void plugin_unload(struct plugin *p);

#endif
