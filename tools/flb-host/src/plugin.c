/*
 * plugin.c - dlopen a plugin and register it like Fluent Bit's proxy loader.
 */
#include "plugin.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

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

/* a symbol the plugin must export; NULL after saying it is missing */
static void *required(struct plugin *p, const char *symbol)
{
    void *s = lookup(p->handle, symbol);

    if (s == NULL) {
        host_msg("plugin %s does not export %s", p->path, symbol);
    }
    return s;
}

/*
 * The def FLBPluginRegister fills, zeroed. 48 bytes: calloc, as Fluent Bit
 * 5.1.1 does. 40 or 32 bytes (Fluent Bit 4.2.0-5.1.0 and up to 4.1 calloc
 * only that much): the last bytes of a read/write page followed by a
 * PROT_NONE page, so that touching config_map (offset 40) or event_type
 * (offset 32) faults instead of going unnoticed.
 */
static struct flb_plugin_proxy_def *def_alloc(struct plugin *p, size_t def_size)
{
    long page;
    unsigned char *pages;

    if (def_size == ABI_PROXY_DEF_SIZE_5_1_1) {
        return calloc(1, sizeof(struct flb_plugin_proxy_def));
    }
    page = sysconf(_SC_PAGESIZE);
    if (page <= 0) {
        return NULL;
    }
    pages = mmap(NULL, 2 * (size_t) page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) {
        return NULL;
    }
    if (mprotect(pages + page, (size_t) page, PROT_NONE) != 0) {
        munmap(pages, 2 * (size_t) page);
        return NULL;
    }
    p->def_pages = pages;
    /* mmap gives zeroed pages */
    return (struct flb_plugin_proxy_def *) (pages + page - def_size);
}

static void def_free(struct plugin *p)
{
    if (p->def_pages != NULL) {
        munmap(p->def_pages, 2 * (size_t) sysconf(_SC_PAGESIZE));
    }
    else {
        free(p->def);
    }
    p->def_pages = NULL;
    p->def = NULL;
}

/* the name is all the host needs of what was registered: type, proxy and
 * event_type are real Fluent Bit's to check (RealFluentBit tier) */
static int check_registration(struct plugin *p)
{
    if (p->def->name == NULL || p->def->name[0] == '\0') {
        host_msg("plugin %s registered no name", p->path);
        return -1;
    }
    return 0;
}

/*
 * Fluent Bit's proxy loader has this name, and fluent-bit exports it (it is
 * linked with ENABLE_EXPORTS): a plugin that finds it in the executable
 * knows a fluent-bit binary loaded it and may ask that binary --version
 * (see main.c). The host exports only this symbol (Makefile), so that it
 * is modelled and no other name of the host can interpose on a plugin's.
 */
int flb_plugin_proxy_register(struct plugin *p, abi_register_fn do_register)
{
    p->def = def_alloc(p, p->def_size);
    if (p->def == NULL) {
        host_msg("out of memory");
        return -1;
    }
    return do_register(p->def);
}

int plugin_load(struct plugin *p, const char *path, size_t def_size)
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
        ret = pre_register(0);
        if (ret == -1) {
            host_msg("plugin %s: FLBPluginPreRegister returned -1", path);
            return -1;
        }
    }

    do_register = (abi_register_fn) required(p, "FLBPluginRegister");
    if (do_register == NULL) {
        return -1;
    }
    p->def_size = def_size;
    ret = flb_plugin_proxy_register(p, do_register);
    if (p->def == NULL) {
        return -1;
    }
    if (ret == -1) {
        host_msg("plugin %s: FLBPluginRegister returned -1", path);
        def_free(p);
        return -1;
    }
    if (check_registration(p) != 0) {
        def_free(p);
        return -1;
    }
    p->name = xstrdup(p->def->name);
    p->init = (abi_init_fn) required(p, "FLBPluginInit");
    /* FLBPluginFlush without a context, as old Go plugins export it, is
     * real Fluent Bit's to run: every plugin of this repository has FlushCtx */
    p->flush_ctx = (abi_flush_ctx_fn) required(p, "FLBPluginFlushCtx");
    if (p->init == NULL || p->flush_ctx == NULL) {
        return -1;
    }
    p->pre_run = (abi_pre_run_fn) lookup(p->handle, "FLBPluginOutputPreRun");
    p->pre_exit = (abi_pre_exit_fn) lookup(p->handle, "FLBPluginOutputPreExit");
    p->exit_ctx = (abi_exit_ctx_fn) lookup(p->handle, "FLBPluginExitCtx");
    p->unregister = (abi_unregister_fn) lookup(p->handle, "FLBPluginUnregister");
    return 0;
}

void plugin_unload(struct plugin *p)
{
    if (p->handle == NULL) {
        return;
    }
    if (p->unregister != NULL) {
        p->unregister(p->def);
    }
    if (dlclose(p->handle) != 0) {
        const char *err = dlerror();
        host_warn("dlclose of %s failed: %s", p->path, err ? err : "?");
    }
    p->handle = NULL;
    def_free(p);
    free(p->name);
    p->name = NULL;
}
