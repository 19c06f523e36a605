// Does nothing: the baseline for a Swift executable's size and start-up.
