// JarvisJobs module.
