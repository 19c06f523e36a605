#define JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include "jarvis_lazy_link.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int jarvis_lazy_open(jarvis_lazy_library *library, const char **error) {
    if (__atomic_load_n(&library->handle, __ATOMIC_ACQUIRE)) return 0;
    pthread_mutex_lock(&library->lock);
    int result = 0;
    if (!library->handle) {
        void *handle = 0;
        library->error[0] = 0;
        for (const char *const *name = library->names; *name && !handle; name++) {
            handle = dlopen(*name, RTLD_LAZY | RTLD_LOCAL);
            if (!handle) {
                const char *reason = dlerror();
                size_t used = strlen(library->error);
                snprintf(library->error + used, sizeof library->error - used, "%s%s", used ? "; " : "",
                         reason ? reason : *name);
            }
        }
        if (handle) {
            __atomic_store_n(&library->handle, handle, __ATOMIC_RELEASE);
        } else {
            result = -1;
        }
    }
    if (result != 0 && error) *error = library->error;
    pthread_mutex_unlock(&library->lock);
    return result;
}

void *jarvis_lazy_symbol(jarvis_lazy_library *library, const char *symbol) {
    const char *error = 0;
    if (jarvis_lazy_open(library, &error) != 0) {
        fprintf(stderr, "jarvis: cannot load %s (needed for %s): %s\n", library->names[0], symbol, error);
        abort();
    }
    void *address = dlsym(library->handle, symbol);
    if (!address) {
        const char *reason = dlerror();
        fprintf(stderr, "jarvis: %s has no %s: %s\n", library->names[0], symbol, reason ? reason : "not found");
        abort();
    }
    return address;
}
