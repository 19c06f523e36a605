// JarvisSpool module.
