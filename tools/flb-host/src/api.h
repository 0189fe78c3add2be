/*
 * api.h - the struct flb_api function table handed to every plugin
 * instance in struct flbgo_output_plugin. The engine hands it to
 * instance_init, so that instances never call up into the api that
 * looks into them.
 */
#ifndef FLB_HOST_API_H
#define FLB_HOST_API_H

#include "abi.h"

struct flb_api *api_table(void);

#endif
