#ifndef JARVIS_CCURL_SHIM_H
#define JARVIS_CCURL_SHIM_H
#include <curl/curl.h>

/*
 * `curl_easy_setopt` and `curl_easy_getinfo` are variadic, which Swift cannot call. Each
 * wrapper below passes exactly one argument of the type the option expects (curl reads it
 * with va_arg, so the type must match: long, a pointer, or a function pointer). Nothing else
 * belongs in this file.
 */

/// The signature of `CURLOPT_WRITEFUNCTION` and `CURLOPT_HEADERFUNCTION` callbacks.
typedef size_t (*jarvis_curl_write_callback)(char *data, size_t size, size_t count, void *context);

/// Wraps `curl_easy_setopt(handle, option, (long)value)` for options that take a long.
static inline CURLcode jarvis_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Wraps `curl_easy_setopt(handle, option, value)` for options that take a `char *`
/// (curl copies strings since 7.17, so `value` need only live for the call).
static inline CURLcode jarvis_curl_setopt_str(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Wraps `curl_easy_setopt(handle, option, value)` for options that take an object pointer
/// (`CURLOPT_HTTPHEADER`, `CURLOPT_WRITEDATA`, `CURLOPT_ERRORBUFFER`, `CURLOPT_POSTFIELDS`…),
/// which curl does NOT copy: it must live until the transfer ends.
static inline CURLcode jarvis_curl_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Wraps `curl_easy_setopt(handle, option, callback)` for `CURLOPT_WRITEFUNCTION` and
/// `CURLOPT_HEADERFUNCTION`.
static inline CURLcode jarvis_curl_setopt_func(CURL *handle, CURLoption option, jarvis_curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// Wraps `curl_easy_getinfo(handle, info, &value)` for infos that return a long
/// (`CURLINFO_RESPONSE_CODE`).
static inline CURLcode jarvis_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
