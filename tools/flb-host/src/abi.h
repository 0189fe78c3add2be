/*
 * abi.h - the C types of Fluent Bit's external ("proxy") output plugin ABI
 * (x86-64 layout), as Fluent Bit 5.1 defines and uses them in
 * include/fluent-bit/flb_plugin_proxy.h,
 * src/flb_plugin_proxy.c, src/proxy/go/go.c and flb_api.h.
 *
 * Three sizes of struct flb_plugin_proxy_def, which FLBPluginRegister fills:
 *   48 bytes (Fluent Bit 5.1.1, the host's default): the struct below, with
 *      config_map at offset 40.
 *   40 bytes (Fluent Bit 4.2.0 to 5.1.0, ABI_PROXY_DEF_SIZE_4_2): the same
 *      struct without config_map. Fluent Bit callocs only 40 bytes, so a
 *      plugin that writes config_map writes past the allocation.
 *   32 bytes (Fluent Bit up to 4.1, ABI_PROXY_DEF_SIZE_4_1): without
 *      event_type either.
 *   The host's --proxy-def-size 40 or 32 places such a def at the end of a
 *   page followed by a PROT_NONE page: any access past its end faults.
 * The _Static_asserts at the end pin every size and offset.
 */
#ifndef FLB_HOST_ABI_H
#define FLB_HOST_ABI_H

#include <stddef.h>
#include <stdint.h>

/* values a plugin puts in struct flb_plugin_proxy_def */
#define ABI_TYPE_OUTPUT  2
#define ABI_PROXY_GOLANG 11

/* return codes of a flush */
#define ABI_FLB_ERROR 0
#define ABI_FLB_OK    1
#define ABI_FLB_RETRY 2

/* log levels of log_print and output_log_check: 1 error .. 5 trace */
#define ABI_LOG_INFO  3

/* zeroed by the host, filled in by FLBPluginRegister; Fluent Bit 5.1.1's
 * layout (48 bytes). Before 5.1.1 it ends before config_map (40 bytes). */
struct flb_plugin_proxy_def {
    int   type;
    int   proxy;
    int   flags;
    char *name;
    char *description;
    int   event_type;
    /* new in Fluent Bit 5.1.1; the host never reads it (real Fluent Bit
     * checks keys against it, RealFluentBit/ConfigMapTests) */
    void *config_map;
};

#define ABI_PROXY_DEF_SIZE_4_1   32   /* Fluent Bit up to 4.1 */
#define ABI_PROXY_DEF_SIZE_4_2   40   /* Fluent Bit 4.2.0 to 5.1.0 */
#define ABI_PROXY_DEF_SIZE_5_1_1 48   /* Fluent Bit 5.1.1 */

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
typedef void (*abi_pre_exit_fn)(int shutdown_by_hot_reloading);
typedef int  (*abi_exit_ctx_fn)(void *remote_context);
typedef void (*abi_unregister_fn)(struct flb_plugin_proxy_def *def);

/* the x86-64 (LP64) layout, as Fluent Bit 5.1.1's DWARF gives it */
#if defined(__x86_64__) || defined(__LP64__)
_Static_assert(sizeof(struct flb_plugin_proxy_def) == ABI_PROXY_DEF_SIZE_5_1_1,
               "flb_plugin_proxy_def is 48 bytes");
_Static_assert(offsetof(struct flb_plugin_proxy_def, type) == 0, "def.type @0");
_Static_assert(offsetof(struct flb_plugin_proxy_def, proxy) == 4, "def.proxy @4");
_Static_assert(offsetof(struct flb_plugin_proxy_def, flags) == 8, "def.flags @8");
_Static_assert(offsetof(struct flb_plugin_proxy_def, name) == 16, "def.name @16");
_Static_assert(offsetof(struct flb_plugin_proxy_def, description) == 24,
               "def.description @24");
_Static_assert(offsetof(struct flb_plugin_proxy_def, event_type) == 32,
               "def.event_type @32");
_Static_assert(offsetof(struct flb_plugin_proxy_def, config_map) == 40,
               "def.config_map @40");
/* 4.2.0-5.1.0: the fields before config_map, padded to pointer alignment */
_Static_assert(offsetof(struct flb_plugin_proxy_def, config_map) ==
               ABI_PROXY_DEF_SIZE_4_2, "the 4.2 def ends where config_map starts");
/* up to 4.1: the fields before event_type */
_Static_assert(offsetof(struct flb_plugin_proxy_def, event_type) ==
               ABI_PROXY_DEF_SIZE_4_1, "the 4.1 def ends where event_type starts");

#endif

#endif
