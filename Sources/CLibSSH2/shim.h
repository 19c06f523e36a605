#ifndef JARVIS_CLIBSSH2_SHIM_H
#define JARVIS_CLIBSSH2_SHIM_H
#include <libssh2.h>
#endif
