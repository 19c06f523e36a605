// JarvisSSH module.
