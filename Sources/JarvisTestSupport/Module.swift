// JarvisTestSupport module.
