/*
 * api.c - the callbacks a plugin can make into the host.
 */
#include "api.h"
#include "instance.h"

#include <stdarg.h>

#include "log.h"
#include "props.h"

/* the instance behind o_ins, or NULL (with a warning) if it is not one */
static struct instance *as_instance(void *o_ins, const char *caller)
{
    if (o_ins != NULL && ((struct instance *) o_ins)->magic == INSTANCE_MAGIC) {
        return o_ins;
    }
    host_warn("%s called with o_ins=%p, which is not an output instance "
              "(pass plugin->o_ins from FLBPluginInit)", caller, o_ins);
    return NULL;
}

static const char *api_output_get_property(const char *key, void *o_ins)
{
    struct instance *in = as_instance(o_ins, "output_get_property");

    if (in == NULL || key == NULL) {
        return NULL;
    }
    return props_get_for_plugin(in->props, key);
}

static const char *api_input_get_property(const char *key, void *i_ins)
{
    (void) key;
    (void) i_ins;
    return NULL;
}

static void *api_output_get_cmt_instance(void *o_ins)
{
    (void) o_ins;
    return NULL;
}

static void *api_input_get_cmt_instance(void *i_ins)
{
    (void) i_ins;
    return NULL;
}

static void api_log_print(int level, const char *file, int line,
                          const char *fmt, ...)
{
    va_list ap;

    (void) file;
    (void) line;
    if (fmt == NULL) {
        return;
    }
    va_start(ap, fmt);
    log_plugin_line(level, fmt, ap);
    va_end(ap);
}

static int api_input_log_check(void *i_ins, int level)
{
    (void) i_ins;
    (void) level;
    return 0;
}

static int api_output_log_check(void *o_ins, int level)
{
    struct instance *in = as_instance(o_ins, "output_log_check");

    if (in == NULL) {
        return 0;
    }
    /* info, as Fluent Bit's default; log_level per output is shown by real
     * Fluent Bit (RealFluentBit/LifecycleTests) */
    return level <= ABI_LOG_INFO;
}

static const char *api_custom_get_property(const char *key, void *c_ins)
{
    (void) key;
    (void) c_ins;
    return NULL;
}

static int api_custom_log_check(void *c_ins, int level)
{
    (void) c_ins;
    (void) level;
    return 0;
}

static struct flb_api table = {
    api_output_get_property,
    api_input_get_property,
    api_output_get_cmt_instance,
    api_input_get_cmt_instance,
    api_log_print,
    api_input_log_check,
    api_output_log_check,
    api_custom_get_property,
    api_custom_log_check,
};

struct flb_api *api_table(void)
{
    return &table;
}
