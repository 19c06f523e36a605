// JarvisPostgres module.
