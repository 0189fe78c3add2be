/*
 * abi.h - the C types of Fluent Bit's external ("proxy") output plugin ABI
 * (x86-64 layout), as Fluent Bit 5.1 defines and uses them in
 * include/fluent-bit/flb_plugin_proxy.h, include/fluent-bit/flb_config_map.h,
 * src/flb_plugin_proxy.c, src/proxy/go/go.c and flb_api.h.
 *
 * Three sizes of struct flb_plugin_proxy_def, which FLBPluginRegister fills:
 *   48 bytes (Fluent Bit 5.1.1, the host's default): the struct below, with
 *      config_map at offset 40. Fluent Bit keeps that pointer (it never
 *      copies or writes the array) and, before FLBPluginInit, checks every
 *      property of an instance against it (flb_config_map_properties_check).
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

/* struct flb_config_map: type */
#define ABI_CONFIG_MAP_STR         0
#define ABI_CONFIG_MAP_STR_PREFIX  1   /* matches longer keys by prefix */
#define ABI_CONFIG_MAP_INT         2
#define ABI_CONFIG_MAP_BOOL        3
#define ABI_CONFIG_MAP_DOUBLE      4
#define ABI_CONFIG_MAP_SIZE        5
#define ABI_CONFIG_MAP_TIME        6
#define ABI_CONFIG_MAP_DEPRECATED  7
#define ABI_CONFIG_MAP_CLIST      30   /* comma-separated list */
#define ABI_CONFIG_MAP_CLIST_1    31
#define ABI_CONFIG_MAP_CLIST_2    32
#define ABI_CONFIG_MAP_CLIST_3    33
#define ABI_CONFIG_MAP_CLIST_4    34
#define ABI_CONFIG_MAP_SLIST      40   /* space-separated list */
#define ABI_CONFIG_MAP_SLIST_1    41
#define ABI_CONFIG_MAP_SLIST_2    42
#define ABI_CONFIG_MAP_SLIST_3    43
#define ABI_CONFIG_MAP_SLIST_4    44
#define ABI_CONFIG_MAP_VARIANT    50

/* struct flb_config_map: flags */
#define ABI_CONFIG_MAP_MULT        1   /* the key may be set more than once */
#define ABI_CONFIG_MAP_DYNAMIC_ENV 2   /* keep ${VAR} untranslated */

/* struct mk_list (monkey's list head) */
struct abi_mk_list {
    struct abi_mk_list *prev;
    struct abi_mk_list *next;
};

/* struct flb_config_map_val: used only in Fluent Bit's own copies */
struct flb_config_map_val {
    union {
        int i_num;
        int boolean;
        double d_num;
        size_t s_num;
        char *str;
        struct abi_mk_list *list;
        void *variant;
    } val;
    char *raw;
    struct abi_mk_list *mult;
    struct abi_mk_list _head;
};

/* one key of a plugin's config map; the array ends with an all-zero entry
 * (name == NULL) */
struct flb_config_map {
    int type;                        /* ABI_CONFIG_MAP_* */
    char *name;
    char *def_value;                 /* default as text, or NULL */
    int flags;                       /* ABI_CONFIG_MAP_MULT, ... */
    int set_property;                /* must be 0 for a proxy plugin */
    uintptr_t offset;
    char *desc;
    struct flb_config_map_val value;
    struct abi_mk_list _head;
};

/* zeroed by the host, filled in by FLBPluginRegister; Fluent Bit 5.1.1's
 * layout (48 bytes). Before 5.1.1 it ends before config_map (40 bytes). */
struct flb_plugin_proxy_def {
    int   type;
    int   proxy;
    int   flags;
    char *name;
    char *description;
    int   event_type;
    struct flb_config_map *config_map;   /* new in Fluent Bit 5.1.1 */
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
typedef int  (*abi_flush_fn)(const void *data, size_t size, const char *tag);
typedef void (*abi_pre_exit_fn)(int shutdown_by_hot_reloading);
typedef int  (*abi_exit_ctx_fn)(void *remote_context);
typedef int  (*abi_exit_fn)(void);
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

_Static_assert(sizeof(struct abi_mk_list) == 16, "mk_list is 16 bytes");
_Static_assert(sizeof(struct flb_config_map_val) == 40, "flb_config_map_val is 40 bytes");
_Static_assert(sizeof(struct flb_config_map) == 104, "flb_config_map is 104 bytes");
_Static_assert(_Alignof(struct flb_config_map) == 8, "flb_config_map aligns to 8");
_Static_assert(offsetof(struct flb_config_map, type) == 0, "map.type @0");
_Static_assert(offsetof(struct flb_config_map, name) == 8, "map.name @8");
_Static_assert(offsetof(struct flb_config_map, def_value) == 16, "map.def_value @16");
_Static_assert(offsetof(struct flb_config_map, flags) == 24, "map.flags @24");
_Static_assert(offsetof(struct flb_config_map, set_property) == 28,
               "map.set_property @28");
_Static_assert(offsetof(struct flb_config_map, offset) == 32, "map.offset @32");
_Static_assert(offsetof(struct flb_config_map, desc) == 40, "map.desc @40");
_Static_assert(offsetof(struct flb_config_map, value) == 48, "map.value @48");
_Static_assert(offsetof(struct flb_config_map, _head) == 88, "map._head @88");
#endif

#endif
