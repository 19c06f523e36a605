// libcurl is loaded on first use, not at process start: see jarvis_lazy_link.h.
// Every libcurl function jarvis calls needs a line here (the link fails otherwise).
#if defined(__linux__)
#define JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include "jarvis_lazy_link.h"
#include "jarvis_libcurl_lazy.h"
#include <curl/curl.h>
#include <stdarg.h>

JARVIS_LAZY_LIBRARY(libcurl, "libcurl.so.4");

int jarvis_libcurl_load(const char **error) { return jarvis_lazy_open(&libcurl, error); }

JARVIS_LAZY_FUNCTION(libcurl, CURLcode, curl_global_init, (long flags), (flags))
JARVIS_LAZY_FUNCTION(libcurl, CURL *, curl_easy_init, (void), ())
JARVIS_LAZY_FUNCTION(libcurl, CURLcode, curl_easy_perform, (CURL *curl), (curl))
JARVIS_LAZY_FUNCTION(libcurl, void, curl_easy_cleanup, (CURL *curl), (curl))
JARVIS_LAZY_FUNCTION(libcurl, const char *, curl_easy_strerror, (CURLcode code), (code))
JARVIS_LAZY_FUNCTION(libcurl, struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))
JARVIS_LAZY_FUNCTION(libcurl, void, curl_slist_free_all, (struct curl_slist *list), (list))

/*
 * The variadic two cannot forward `...`: they read the one argument the way libcurl itself
 * does (by the option's type range: long, pointer — object or function —, curl_off_t, or
 * blob pointer) and pass it on with that type.
 */
__attribute__((visibility("hidden"))) CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...) {
    static CURLcode (*resolved)(CURL *, CURLoption, ...);
    CURLcode (*target)(CURL *, CURLoption, ...) = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);
    if (!target) {
        target = (CURLcode (*)(CURL *, CURLoption, ...))jarvis_lazy_symbol(&libcurl, "curl_easy_setopt");
        __atomic_store_n(&resolved, target, __ATOMIC_RELEASE);
    }
    va_list args;
    va_start(args, option);
    CURLcode code;
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        code = target(curl, option, va_arg(args, long));
    } else if (option < CURLOPTTYPE_OFF_T) {  // object, string, slist and function pointers
        code = target(curl, option, va_arg(args, void *));
    } else if (option < CURLOPTTYPE_BLOB) {
        code = target(curl, option, va_arg(args, curl_off_t));
    } else {
        code = target(curl, option, va_arg(args, void *));
    }
    va_end(args);
    return code;
}

__attribute__((visibility("hidden"))) CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...) {
    static CURLcode (*resolved)(CURL *, CURLINFO, ...);
    CURLcode (*target)(CURL *, CURLINFO, ...) = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);
    if (!target) {
        target = (CURLcode (*)(CURL *, CURLINFO, ...))jarvis_lazy_symbol(&libcurl, "curl_easy_getinfo");
        __atomic_store_n(&resolved, target, __ATOMIC_RELEASE);
    }
    va_list args;
    va_start(args, info);
    void *result = va_arg(args, void *);  // every CURLINFO type answers through one pointer
    va_end(args);
    return target(curl, info, result);
}
#else
#include "jarvis_libcurl_lazy.h"
// Elsewhere libcurl is linked normally (Package.swift).
int jarvis_libcurl_load(const char **error) { (void)error; return 0; }
#endif
