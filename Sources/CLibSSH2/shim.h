#ifndef JARVIS_CLIBSSH2_SHIM_H
#define JARVIS_CLIBSSH2_SHIM_H
#include <libssh2.h>
#include <string.h>

/*
 * libssh2 spells many everyday calls as function-like macros, which Swift cannot import.
 * Each wrapper below forwards to the `_ex` function the macro expands to, with the same
 * arguments the macro passes. Nothing else belongs in this file.
 */

/// Wraps the macro `libssh2_session_init()` (`libssh2_session_init_ex` with default allocators).
static inline LIBSSH2_SESSION *jarvis_libssh2_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

/// Wraps the macro `libssh2_session_disconnect(session, description)`.
static inline int jarvis_libssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, description, "");
}

/// Wraps the macro `libssh2_channel_open_session(session)`.
static inline LIBSSH2_CHANNEL *jarvis_libssh2_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_ex(session, "session", sizeof("session") - 1, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                   LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

/// Wraps the macro `libssh2_channel_exec(channel, command)`.
static inline int jarvis_libssh2_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_process_startup(channel, "exec", sizeof("exec") - 1, command, (unsigned int)strlen(command));
}

/// Wraps the macro `libssh2_channel_read(channel, buf, buflen)` (stream 0, stdout).
static inline ssize_t jarvis_libssh2_channel_read(LIBSSH2_CHANNEL *channel, char *buf, size_t buflen) {
    return libssh2_channel_read_ex(channel, 0, buf, buflen);
}

/// Wraps the macro `libssh2_channel_read_stderr(channel, buf, buflen)` (extended stream 1).
static inline ssize_t jarvis_libssh2_channel_read_stderr(LIBSSH2_CHANNEL *channel, char *buf, size_t buflen) {
    return libssh2_channel_read_ex(channel, SSH_EXTENDED_DATA_STDERR, buf, buflen);
}

/// Wraps the macro `libssh2_userauth_publickey_fromfile(session, username, publickey, privatekey, passphrase)`.
static inline int jarvis_libssh2_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *username,
                                                            const char *publickey, const char *privatekey,
                                                            const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(session, username, (unsigned int)strlen(username), publickey,
                                                  privatekey, passphrase);
}

#endif
