import Testing

/// Every suite of this target, run one test at a time: each test starts its own PostgreSQL
/// cluster (about a second on two cores), one of them changes `PG*` environment variables,
/// and none of them shares a server with another.
@Suite(.serialized, .timeLimit(.minutes(2)))
enum PostgresTests {}
