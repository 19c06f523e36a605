// libssh2 is loaded on first use, not at process start: see jarvis_lazy_link.h.
// Every libssh2 function jarvis calls needs a line here (the link fails otherwise).
#if defined(__linux__)
#define JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include "jarvis_lazy_link.h"
#include "jarvis_libssh2_lazy.h"
#include <libssh2.h>

JARVIS_LAZY_LIBRARY(libssh2, "libssh2.so.1");

int jarvis_libssh2_load(const char **error) { return jarvis_lazy_open(&libssh2, error); }

#define SSH2(ret, name, params, args) JARVIS_LAZY_FUNCTION(libssh2, ret, name, params, args)

SSH2(int, libssh2_init, (int flags), (flags))
SSH2(const char *, libssh2_version, (int req_version_num), (req_version_num))
SSH2(LIBSSH2_SESSION *, libssh2_session_init_ex,
     (LIBSSH2_ALLOC_FUNC((*my_alloc)), LIBSSH2_FREE_FUNC((*my_free)), LIBSSH2_REALLOC_FUNC((*my_realloc)), void *abstract),
     (my_alloc, my_free, my_realloc, abstract))
SSH2(int, libssh2_session_handshake, (LIBSSH2_SESSION *session, libssh2_socket_t sock), (session, sock))
SSH2(int, libssh2_session_disconnect_ex, (LIBSSH2_SESSION *session, int reason, const char *description, const char *lang),
     (session, reason, description, lang))
SSH2(int, libssh2_session_free, (LIBSSH2_SESSION *session), (session))
SSH2(const char *, libssh2_hostkey_hash, (LIBSSH2_SESSION *session, int hash_type), (session, hash_type))
SSH2(const char *, libssh2_session_hostkey, (LIBSSH2_SESSION *session, size_t *len, int *type), (session, len, type))
SSH2(int, libssh2_session_last_error, (LIBSSH2_SESSION *session, char **errmsg, int *errmsg_len, int want_buf),
     (session, errmsg, errmsg_len, want_buf))
SSH2(int, libssh2_session_last_errno, (LIBSSH2_SESSION *session), (session))
SSH2(int, libssh2_session_block_directions, (LIBSSH2_SESSION *session), (session))
SSH2(void, libssh2_session_set_blocking, (LIBSSH2_SESSION *session, int blocking), (session, blocking))
SSH2(void, libssh2_session_set_timeout, (LIBSSH2_SESSION *session, long timeout), (session, timeout))
SSH2(void, libssh2_free, (LIBSSH2_SESSION *session, void *ptr), (session, ptr))
SSH2(int, libssh2_userauth_authenticated, (LIBSSH2_SESSION *session), (session))
SSH2(int, libssh2_userauth_publickey_fromfile_ex,
     (LIBSSH2_SESSION *session, const char *username, unsigned int username_len, const char *publickey, const char *privatekey,
      const char *passphrase),
     (session, username, username_len, publickey, privatekey, passphrase))
SSH2(LIBSSH2_AGENT *, libssh2_agent_init, (LIBSSH2_SESSION *session), (session))
SSH2(int, libssh2_agent_connect, (LIBSSH2_AGENT *agent), (agent))
SSH2(int, libssh2_agent_list_identities, (LIBSSH2_AGENT *agent), (agent))
SSH2(int, libssh2_agent_get_identity,
     (LIBSSH2_AGENT *agent, struct libssh2_agent_publickey **store, struct libssh2_agent_publickey *prev), (agent, store, prev))
SSH2(int, libssh2_agent_userauth, (LIBSSH2_AGENT *agent, const char *username, struct libssh2_agent_publickey *identity),
     (agent, username, identity))
SSH2(int, libssh2_agent_disconnect, (LIBSSH2_AGENT *agent), (agent))
SSH2(void, libssh2_agent_free, (LIBSSH2_AGENT *agent), (agent))
SSH2(void, libssh2_agent_set_identity_path, (LIBSSH2_AGENT *agent, const char *path), (agent, path))
SSH2(LIBSSH2_KNOWNHOSTS *, libssh2_knownhost_init, (LIBSSH2_SESSION *session), (session))
SSH2(int, libssh2_knownhost_readfile, (LIBSSH2_KNOWNHOSTS *hosts, const char *filename, int type), (hosts, filename, type))
SSH2(int, libssh2_knownhost_checkp,
     (LIBSSH2_KNOWNHOSTS *hosts, const char *host, int port, const char *key, size_t keylen, int typemask,
      struct libssh2_knownhost **knownhost),
     (hosts, host, port, key, keylen, typemask, knownhost))
SSH2(int, libssh2_knownhost_writeline,
     (LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost *known, char *buffer, size_t buflen, size_t *outlen, int type),
     (hosts, known, buffer, buflen, outlen, type))
SSH2(void, libssh2_knownhost_free, (LIBSSH2_KNOWNHOSTS *hosts), (hosts))
SSH2(LIBSSH2_CHANNEL *, libssh2_channel_open_ex,
     (LIBSSH2_SESSION *session, const char *channel_type, unsigned int channel_type_len, unsigned int window_size,
      unsigned int packet_size, const char *message, unsigned int message_len),
     (session, channel_type, channel_type_len, window_size, packet_size, message, message_len))
SSH2(int, libssh2_channel_process_startup,
     (LIBSSH2_CHANNEL *channel, const char *request, unsigned int request_len, const char *message, unsigned int message_len),
     (channel, request, request_len, message, message_len))
SSH2(ssize_t, libssh2_channel_read_ex, (LIBSSH2_CHANNEL *channel, int stream_id, char *buf, size_t buflen),
     (channel, stream_id, buf, buflen))
SSH2(int, libssh2_channel_eof, (LIBSSH2_CHANNEL *channel), (channel))
SSH2(int, libssh2_channel_close, (LIBSSH2_CHANNEL *channel), (channel))
SSH2(int, libssh2_channel_wait_closed, (LIBSSH2_CHANNEL *channel), (channel))
SSH2(int, libssh2_channel_free, (LIBSSH2_CHANNEL *channel), (channel))
SSH2(int, libssh2_channel_get_exit_status, (LIBSSH2_CHANNEL *channel), (channel))
SSH2(int, libssh2_channel_get_exit_signal,
     (LIBSSH2_CHANNEL *channel, char **exitsignal, size_t *exitsignal_len, char **errmsg, size_t *errmsg_len, char **langtag,
      size_t *langtag_len),
     (channel, exitsignal, exitsignal_len, errmsg, errmsg_len, langtag, langtag_len))
#else
#include "jarvis_libssh2_lazy.h"
// Elsewhere libssh2 is linked normally (Package.swift).
int jarvis_libssh2_load(const char **error) { (void)error; return 0; }
#endif
