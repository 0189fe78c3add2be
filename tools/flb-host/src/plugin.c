/*
 * plugin.c - dlopen a plugin and register it like Fluent Bit's proxy loader.
 */
#include "plugin.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* dlsym with dlerror() checking; NULL when the symbol is absent */
static void *lookup(void *handle, const char *symbol)
{
    void *s;

    dlerror();
    s = dlsym(handle, symbol);
    if (dlerror() != NULL) {
        return NULL;
    }
    return s;
}

static int check_registration(struct plugin *p)
{
    const struct flb_plugin_proxy_def *d = &p->def;

    if (d->type != ABI_TYPE_OUTPUT) {
        host_msg("plugin %s registered type %d, expected %d (output)",
                 p->path, d->type, ABI_TYPE_OUTPUT);
        return -1;
    }
    if (d->proxy != ABI_PROXY_GOLANG) {
        host_msg("plugin %s registered proxy %d, expected %d (golang)",
                 p->path, d->proxy, ABI_PROXY_GOLANG);
        return -1;
    }
    if (d->name == NULL) {
        host_msg("plugin %s registered no name (name is NULL)", p->path);
        return -1;
    }
    if (d->name[0] == '\0') {
        host_msg("plugin %s registered an empty name", p->path);
        return -1;
    }
    if (d->event_type != 0 && (d->event_type & 1) == 0) {
        host_warn("plugin %s registered event_type %d (not logs); "
                  "the host sends it log records anyway",
                  p->path, d->event_type);
    }
    return 0;
}

int plugin_load(struct plugin *p, const char *path, int hot_reloading)
{
    abi_pre_register_fn pre_register;
    abi_register_fn do_register;
    int ret;

    memset(p, 0, sizeof(*p));
    p->path = path;
    p->handle = dlopen(path, RTLD_LAZY);
    if (p->handle == NULL) {
        const char *err = dlerror();
        host_msg("cannot load plugin %s: %s", path, err ? err : "dlopen failed");
        return -1;
    }

    pre_register = (abi_pre_register_fn) lookup(p->handle, "FLBPluginPreRegister");
    if (pre_register != NULL) {
        ret = pre_register(hot_reloading);
        if (ret == -1) {
            host_msg("plugin %s: FLBPluginPreRegister returned -1", path);
            return -1;
        }
    }

    do_register = (abi_register_fn) lookup(p->handle, "FLBPluginRegister");
    if (do_register == NULL) {
        host_msg("plugin %s does not export FLBPluginRegister", path);
        return -1;
    }
    memset(&p->def, 0, sizeof(p->def));
    ret = do_register(&p->def);
    if (ret == -1) {
        host_msg("plugin %s: FLBPluginRegister returned -1", path);
        return -1;
    }
    if (check_registration(p) != 0) {
        return -1;
    }
    p->name = strdup(p->def.name);
    if (p->name == NULL) {
        host_msg("out of memory");
        return -1;
    }

    p->init = (abi_init_fn) lookup(p->handle, "FLBPluginInit");
    if (p->init == NULL) {
        host_msg("plugin %s does not export FLBPluginInit", path);
        return -1;
    }
    p->flush_ctx = (abi_flush_ctx_fn) lookup(p->handle, "FLBPluginFlushCtx");
    p->flush = (abi_flush_fn) lookup(p->handle, "FLBPluginFlush");
    if (p->flush_ctx == NULL && p->flush == NULL) {
        host_msg("plugin %s exports neither FLBPluginFlushCtx nor FLBPluginFlush",
                 path);
        return -1;
    }
    p->pre_run = (abi_pre_run_fn) lookup(p->handle, "FLBPluginOutputPreRun");
    p->pre_exit = (abi_pre_exit_fn) lookup(p->handle, "FLBPluginOutputPreExit");
    p->exit_ctx = (abi_exit_ctx_fn) lookup(p->handle, "FLBPluginExitCtx");
    p->exit = (abi_exit_fn) lookup(p->handle, "FLBPluginExit");
    p->unregister = (abi_unregister_fn) lookup(p->handle, "FLBPluginUnregister");
    return 0;
}

void plugin_unload(struct plugin *p)
{
    if (p->handle == NULL) {
        return;
    }
    if (p->unregister != NULL) {
        p->unregister(&p->def);
    }
    if (dlclose(p->handle) != 0) {
        const char *err = dlerror();
        host_warn("dlclose of %s failed: %s", p->path, err ? err : "?");
    }
    p->handle = NULL;
    free(p->name);
    p->name = NULL;
}
