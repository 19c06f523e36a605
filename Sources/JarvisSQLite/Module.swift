// JarvisSQLite module.
