// libmicrohttpd is loaded on first use, not at process start: see jarvis_lazy_link.h.
// Every libmicrohttpd function jarvis calls needs a line here (the link fails otherwise).
#define JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include "jarvis_lazy_link.h"
#include "jarvis_libmicrohttpd_lazy.h"
#include <stddef.h>

static struct MHD_Daemon *start_with(__typeof__(&MHD_start_daemon) start, unsigned int flags, MHD_AccessHandlerCallback handler,
                                      void *context, const struct jarvis_mhd_settings *s) {
    struct MHD_OptionItem options[] = {
        {MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, s->connection_limit, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, s->connection_timeout, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)s->memory_limit, NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)s->notify_connection, s->callback_context},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)s->notify_completed, s->callback_context},
        {MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    // No listening socket: skip the first item.
    return start(flags, 0, NULL, NULL, handler, context, MHD_OPTION_ARRAY, s->listen_fd < 0 ? options + 1 : options, MHD_OPTION_END);
}

#if defined(__linux__)

JARVIS_LAZY_LIBRARY(libmicrohttpd, "libmicrohttpd.so.12");

int jarvis_libmicrohttpd_load(const char **error) { return jarvis_lazy_open(&libmicrohttpd, error); }

JARVIS_LAZY_FUNCTION(libmicrohttpd, void, MHD_stop_daemon, (struct MHD_Daemon *daemon), (daemon))
JARVIS_LAZY_FUNCTION(libmicrohttpd, MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon *daemon), (daemon))
JARVIS_LAZY_FUNCTION(libmicrohttpd, enum MHD_Result, MHD_add_connection,
                     (struct MHD_Daemon *daemon, MHD_socket client_socket, const struct sockaddr *addr, socklen_t addrlen),
                     (daemon, client_socket, addr, addrlen))
JARVIS_LAZY_FUNCTION(libmicrohttpd, int, MHD_get_connection_values,
                     (struct MHD_Connection *connection, enum MHD_ValueKind kind, MHD_KeyValueIterator iterator, void *iterator_cls),
                     (connection, kind, iterator, iterator_cls))
JARVIS_LAZY_FUNCTION(libmicrohttpd, struct MHD_Response *, MHD_create_response_from_buffer,
                     (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode))
JARVIS_LAZY_FUNCTION(libmicrohttpd, enum MHD_Result, MHD_add_response_header,
                     (struct MHD_Response *response, const char *header, const char *content), (response, header, content))
JARVIS_LAZY_FUNCTION(libmicrohttpd, enum MHD_Result, MHD_queue_response,
                     (struct MHD_Connection *connection, unsigned int status_code, struct MHD_Response *response),
                     (connection, status_code, response))
JARVIS_LAZY_FUNCTION(libmicrohttpd, void, MHD_destroy_response, (struct MHD_Response *response), (response))


struct MHD_Daemon *jarvis_mhd_start(unsigned int flags, MHD_AccessHandlerCallback handler, void *context,
                                    const struct jarvis_mhd_settings *settings) {
    return start_with((__typeof__(&MHD_start_daemon))jarvis_lazy_symbol(&libmicrohttpd, "MHD_start_daemon"), flags, handler, context,
                      settings);
}

int jarvis_mhd_connection_fd(struct MHD_Connection *connection) {
    __typeof__(&MHD_get_connection_info) info_of =
        (__typeof__(&MHD_get_connection_info))jarvis_lazy_symbol(&libmicrohttpd, "MHD_get_connection_info");
    const union MHD_ConnectionInfo *info = info_of(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}
#else
int jarvis_libmicrohttpd_load(const char **error) { (void)error; return 0; }

struct MHD_Daemon *jarvis_mhd_start(unsigned int flags, MHD_AccessHandlerCallback handler, void *context,
                                    const struct jarvis_mhd_settings *settings) {
    return start_with(MHD_start_daemon, flags, handler, context, settings);
}

int jarvis_mhd_connection_fd(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}
#endif
