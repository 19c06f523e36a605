#ifndef JARVIS_FAST_DIGEST_H
#define JARVIS_FAST_DIGEST_H

#include <stddef.h>

/*
 * SHA-256 through the system's OpenSSL (libcrypto.so.3, already installed with libssh2 and
 * libpq), loaded on first use: it uses the CPU's SHA instructions, about 10x the rate of
 * the pure Swift SHA256 of JarvisCore. Ingest hashes every spool file.
 *
 * Returns 0 with the digest in `digest`, or -1 when libcrypto cannot be loaded (the caller
 * then uses the Swift implementation).
 */
int jarvis_fast_sha256(const void *data, size_t count, unsigned char digest[32]);

#endif
