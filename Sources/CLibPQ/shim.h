#ifndef JARVIS_CLIBPQ_SHIM_H
#define JARVIS_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
