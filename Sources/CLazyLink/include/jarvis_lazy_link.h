#ifndef JARVIS_LAZY_LINK_H
#define JARVIS_LAZY_LINK_H

/*
 * Lazy linking of big shared libraries (libpq, libssh2, later libcurl).
 *
 * Linking them normally makes the dynamic loader map and relocate them and their
 * dependencies (OpenSSL, GnuTLS, Kerberos, LDAP, SASL… about 20 objects) at every start:
 * measured 5.4 ms and 8 MiB RSS for an empty C program linked with -lpq -lssh2, while
 * `jarvis ingest` on an empty spool needs none of them. Instead, each library gets a C
 * target whose file defines every function jarvis calls, with the header's own signature,
 * as a hidden stub that resolves the real function with dlsym on first call (the library
 * is dlopen'ed then) and jumps to it afterwards. Swift code calls the functions as before.
 *
 * A library that cannot be loaded is reported by `jarvis_lazy_open` (call it where an
 * error can be returned, e.g. before connecting); a stub called without that check aborts
 * with a message naming the library and symbol.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// One lazily loaded library. Define with JARVIS_LAZY_LIBRARY.
typedef struct jarvis_lazy_library jarvis_lazy_library;

/// Loads the library if it is not yet loaded.
/// Returns 0, or -1 with a message in *error (static storage, valid until the next call).
int jarvis_lazy_open(jarvis_lazy_library *library, const char **error);

/// The address of `symbol` in the library, loading it first; aborts when either fails.
void *jarvis_lazy_symbol(jarvis_lazy_library *library, const char *symbol);

#ifdef __cplusplus
}
#endif

#ifdef JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include <pthread.h>

struct jarvis_lazy_library {
    /// File names to try in order (SONAMEs), NULL-terminated.
    const char *const *names;
    void *handle;
    pthread_mutex_t lock;
    char error[512];
};

/// Defines `library` trying the given file names in order.
#define JARVIS_LAZY_LIBRARY(library, ...)                                                       \
    static const char *const library##_names[] = {__VA_ARGS__, (const char *)0};               \
    static jarvis_lazy_library library = {library##_names, 0, PTHREAD_MUTEX_INITIALIZER, {0}}

/// Defines `name` (declared by the library's header, so a wrong signature does not compile)
/// as a stub calling the library's own `name`. `params` is the parenthesised parameter list,
/// `args` the parenthesised argument names.
#define JARVIS_LAZY_FUNCTION(library, ret, name, params, args)                                  \
    __attribute__((visibility("hidden"))) ret name params {                                      \
        static __typeof__(&name) resolved;                                                       \
        __typeof__(&name) target = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);                 \
        if (!target) {                                                                           \
            target = (__typeof__(&name))jarvis_lazy_symbol(&library, #name);                     \
            __atomic_store_n(&resolved, target, __ATOMIC_RELEASE);                               \
        }                                                                                        \
        return target args;                                                                      \
    }
#endif

#endif
