/*
 * abi.h - the C types of Fluent Bit's external ("proxy") output plugin ABI
 * (x86-64 layout), as Fluent Bit 5.1 defines and uses them in
 * include/fluent-bit/flb_plugin_proxy.h, src/flb_plugin_proxy.c,
 * src/proxy/go/go.c and flb_api.h.
 */
#ifndef FLB_HOST_ABI_H
#define FLB_HOST_ABI_H

#include <stddef.h>

/* values a plugin must put in struct flb_plugin_proxy_def */
#define ABI_TYPE_INPUT   1
#define ABI_TYPE_OUTPUT  2
#define ABI_TYPE_CUSTOM  3
#define ABI_PROXY_GOLANG 11

/* return codes of a flush */
#define ABI_FLB_ERROR 0
#define ABI_FLB_OK    1
#define ABI_FLB_RETRY 2

/* log levels used by log_print and output_log_check */
#define ABI_LOG_OFF   0
#define ABI_LOG_ERROR 1
#define ABI_LOG_WARN  2
#define ABI_LOG_INFO  3
#define ABI_LOG_DEBUG 4
#define ABI_LOG_TRACE 5

/* zeroed by the host, filled in by FLBPluginRegister */
struct flb_plugin_proxy_def {
    int   type;
    int   proxy;
    int   flags;
    char *name;
    char *description;
    int   event_type;
    void *config_map;
};

/* the function table handed to the plugin; order is part of the ABI */
struct flb_api {
    const char *(*output_get_property)(const char *key, void *o_ins);
    const char *(*input_get_property)(const char *key, void *i_ins);
    void *(*output_get_cmt_instance)(void *o_ins);
    void *(*input_get_cmt_instance)(void *i_ins);
    void  (*log_print)(int level, const char *file, int line, const char *fmt, ...);
    int   (*input_log_check)(void *i_ins, int level);
    int   (*output_log_check)(void *o_ins, int level);
    const char *(*custom_get_property)(const char *key, void *c_ins);
    int   (*custom_log_check)(void *c_ins, int level);
};

/* where Init stores its per-instance handle */
struct abi_proxy_context {
    void *remote_context;
};

/* passed to FLBPluginInit */
struct flbgo_output_plugin {
    char *name;
    struct flb_api *api;
    void *o_ins;
    struct abi_proxy_context *context;
};

/* entry points looked up with dlsym */
typedef int  (*abi_pre_register_fn)(int hot_reloading);
typedef int  (*abi_register_fn)(struct flb_plugin_proxy_def *def);
typedef int  (*abi_init_fn)(struct flbgo_output_plugin *plugin);
typedef int  (*abi_pre_run_fn)(int enable_hot_reload);
typedef int  (*abi_flush_ctx_fn)(void *remote_context, const void *data,
                                 size_t size, char *tag);
typedef int  (*abi_flush_fn)(const void *data, size_t size, const char *tag);
typedef void (*abi_pre_exit_fn)(int shutdown_by_hot_reloading);
typedef int  (*abi_exit_ctx_fn)(void *remote_context);
typedef int  (*abi_exit_fn)(void);
typedef void (*abi_unregister_fn)(struct flb_plugin_proxy_def *def);

#endif
