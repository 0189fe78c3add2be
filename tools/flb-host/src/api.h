/*
 * api.h - the struct flb_api function table handed to every plugin
 * instance in struct flbgo_output_plugin.
 */
#ifndef FLB_HOST_API_H
#define FLB_HOST_API_H

#include <stddef.h>

#include "abi.h"
#include "instance.h"

struct flb_api *api_table(void);
/* the instances o_ins may point to (to catch a plugin passing garbage) */
void api_set_instances(struct instance *instances, size_t count);

#endif
