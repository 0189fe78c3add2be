/*
 * config_map.h - the config map a plugin may register (def->config_map,
 * Fluent Bit 5.1.1): checked once when it is registered, and read again
 * for every instance, as Fluent Bit reads p->config_map each time it checks
 * an instance's properties before FLBPluginInit.
 */
#ifndef FLB_HOST_CONFIG_MAP_H
#define FLB_HOST_CONFIG_MAP_H

#include <stddef.h>

#include "abi.h"
#include "props.h"

/* more keys than this and the map counts as having no terminating entry */
#define CONFIG_MAP_MAX_KEYS 1024

/*
 * Check a registered map the way the host and Fluent Bit will use it: at
 * most CONFIG_MAP_MAX_KEYS entries before the one with name == NULL; each
 * type known (Fluent Bit's -h exits on an unknown one); flags at most
 * ABI_CONFIG_MAP_MULT; set_property 0 (Fluent Bit has no context of a proxy
 * plugin to write to); names non-empty and unique (case-insensitive).
 * Returns the number of keys, or -1 with the reason in err.
 */
long config_map_validate(const struct flb_config_map *map, char *err, size_t errlen);

/*
 * Fluent Bit's check of one instance before FLBPluginInit
 * (flb_output_plugin_property_check): the map's defaults as
 * flb_config_map_create reads them (a prefixed key with a default, or a
 * boolean default that is not one, fails), then flb_config_map_properties_check
 * over the properties Fluent Bit did not divert for itself
 * (props_key_diverted), with their keys lowercased as fluent-bit's command
 * line lowercases them. PLUGIN_NAME is the registered name.
 * *log receives the lines Fluent Bit would log ("[error] [config] ...",
 * "[warn] ...", "[help] try the command: ..."), one per line, malloc'd, or
 * NULL if there are none. Returns 0 if the instance may start, -1 if not.
 */
int config_map_check(const char *plugin_name, const struct flb_config_map *map,
                     const struct props *props, char **log);

#endif
