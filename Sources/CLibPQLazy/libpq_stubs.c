// libpq is loaded on first use, not at process start: see jarvis_lazy_link.h.
// Every libpq function jarvis calls needs a line here (the link fails otherwise).
#if defined(__linux__)
#define JARVIS_LAZY_LINK_IMPLEMENTATION_DETAILS
#include "jarvis_lazy_link.h"
#include "jarvis_libpq_lazy.h"
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#else
#include <postgresql/libpq-fe.h>
#endif

JARVIS_LAZY_LIBRARY(libpq, "libpq.so.5");

int jarvis_libpq_load(const char **error) { return jarvis_lazy_open(&libpq, error); }

JARVIS_LAZY_FUNCTION(libpq, PGconn *, PQconnectdbParams,
                     (const char *const *keywords, const char *const *values, int expand_dbname),
                     (keywords, values, expand_dbname))
JARVIS_LAZY_FUNCTION(libpq, void, PQfinish, (PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, void, PQreset, (PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
JARVIS_LAZY_FUNCTION(libpq, void, PQconninfoFree, (PQconninfoOption *options), (options))
JARVIS_LAZY_FUNCTION(libpq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, int, PQserverVersion, (const PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, char *, PQerrorMessage, (const PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg),
                     (conn, proc, arg))
JARVIS_LAZY_FUNCTION(libpq, PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
JARVIS_LAZY_FUNCTION(libpq, PGresult *, PQexecParams,
                     (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
                      const int *paramLengths, const int *paramFormats, int resultFormat),
                     (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
JARVIS_LAZY_FUNCTION(libpq, PGresult *, PQgetResult, (PGconn *conn), (conn))
JARVIS_LAZY_FUNCTION(libpq, int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
JARVIS_LAZY_FUNCTION(libpq, int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
JARVIS_LAZY_FUNCTION(libpq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, char *, PQresStatus, (ExecStatusType status), (status))
JARVIS_LAZY_FUNCTION(libpq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
JARVIS_LAZY_FUNCTION(libpq, int, PQntuples, (const PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, int, PQnfields, (const PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, char *, PQfname, (const PGresult *res, int field_num), (res, field_num))
JARVIS_LAZY_FUNCTION(libpq, int, PQfnumber, (const PGresult *res, const char *field_name), (res, field_name))
JARVIS_LAZY_FUNCTION(libpq, char *, PQcmdStatus, (PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, char *, PQcmdTuples, (PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
JARVIS_LAZY_FUNCTION(libpq, int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
JARVIS_LAZY_FUNCTION(libpq, int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
JARVIS_LAZY_FUNCTION(libpq, void, PQclear, (PGresult *res), (res))
JARVIS_LAZY_FUNCTION(libpq, void, PQfreemem, (void *ptr), (ptr))
#else
#include "jarvis_libpq_lazy.h"
// Elsewhere libpq is linked normally (Package.swift).
int jarvis_libpq_load(const char **error) { (void)error; return 0; }
#endif
