#ifndef JARVIS_LIBMICROHTTPD_LAZY_H
#define JARVIS_LIBMICROHTTPD_LAZY_H

#include <stdint.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/*
 * libmicrohttpd (Debian libmicrohttpd12) serves `jarvis accept`. Like libpq, libssh2 and
 * libcurl it is loaded on first use (see jarvis_lazy_link.h), so that no other subcommand
 * maps it at start. Its two variadic entry points, which Swift cannot call, are wrapped here
 * with fixed argument lists.
 */

/// Loads libmicrohttpd unless it is loaded. Returns 0, or -1 with the loader's message in
/// *error. Call before any other function of this header.
int jarvis_libmicrohttpd_load(const char **error);

/// The options `jarvis_mhd_start` passes to MHD_start_daemon.
struct jarvis_mhd_settings {
    /// A listening socket to serve (MHD_OPTION_LISTEN_SOCKET), or -1 with
    /// MHD_USE_NO_LISTEN_SOCKET in the flags (connections come through MHD_add_connection).
    int listen_fd;
    /// MHD_OPTION_CONNECTION_LIMIT: at the limit, MHD stops accepting (the kernel queues).
    unsigned int connection_limit;
    /// MHD_OPTION_CONNECTION_TIMEOUT: seconds without traffic before a connection is closed.
    unsigned int connection_timeout;
    /// MHD_OPTION_CONNECTION_MEMORY_LIMIT: bytes of buffer per connection (headers included).
    size_t memory_limit;
    /// MHD_OPTION_NOTIFY_CONNECTION and MHD_OPTION_NOTIFY_COMPLETED, both called with
    /// `callback_context`.
    MHD_NotifyConnectionCallback notify_connection;
    MHD_RequestCompletedCallback notify_completed;
    void *callback_context;
};

/// `MHD_start_daemon(flags, 0, NULL, NULL, handler, context, …)` with `settings` as options
/// and strict parsing of what clients send (MHD_OPTION_STRICT_FOR_CLIENT 1).
struct MHD_Daemon *jarvis_mhd_start(unsigned int flags, MHD_AccessHandlerCallback handler, void *context,
                                    const struct jarvis_mhd_settings *settings);

/// The socket of `connection` (MHD_CONNECTION_INFO_CONNECTION_FD), or -1.
int jarvis_mhd_connection_fd(struct MHD_Connection *connection);

/// At most `count` malloc arenas (glibc's M_ARENA_MAX): a server with a thread per
/// connection would otherwise give each thread an arena whose freed pages stay resident.
#if defined(__linux__)
#include <malloc.h>
static inline void jarvis_malloc_arena_max(int count) { (void)mallopt(M_ARENA_MAX, count); }
#else
static inline void jarvis_malloc_arena_max(int count) { (void)count; }
#endif

#endif
