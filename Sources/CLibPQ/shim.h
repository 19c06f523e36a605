#ifndef JARVIS_CLIBPQ_SHIM_H
#define JARVIS_CLIBPQ_SHIM_H
// Debian/Ubuntu put libpq's headers in /usr/include/postgresql (pkg-config is not used: it
// would link libpq, which CLibPQLazy loads on first use instead).
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif
#endif
