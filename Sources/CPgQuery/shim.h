#include <pg_query.h>
// The Token enum of pg_query.proto (PG_QUERY__TOKEN__IDENT…), for reading scanner output.
#include <pg_query/pg_query.pb-c.h>
