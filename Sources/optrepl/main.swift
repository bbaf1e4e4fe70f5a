// Entry point: install signal handling, then run the command line on a thread with a
// large stack (see LargeStack.swift).

Memory.tune()
Signals.install()
LargeStack.run()
