#ifndef JARVIS_LIBCURL_LAZY_H
#define JARVIS_LIBCURL_LAZY_H

/// Loads libcurl (see jarvis_lazy_link.h) unless it is loaded. Returns 0, or -1 with the
/// loader's message in *error. Safe to call from any thread, any number of times.
int jarvis_libcurl_load(const char **error);

#endif
