// See jarvis_fast_digest.h. OpenSSL's headers are not needed: SHA256() has had this
// signature since OpenSSL 0.9.8 and is still exported by 3.x.
#include "jarvis_fast_digest.h"
#include <dlfcn.h>
#include <pthread.h>

typedef unsigned char *(*jarvis_sha256_function)(const unsigned char *data, size_t count, unsigned char *digest);

static jarvis_sha256_function resolved;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library) resolved = (jarvis_sha256_function)dlsym(library, "SHA256");
}

int jarvis_fast_sha256(const void *data, size_t count, unsigned char digest[32]) {
    pthread_once(&loaded, load);
    if (!resolved) return -1;
    resolved((const unsigned char *)data, count, digest);
    return 0;
}
