// The reader's parse methods have large frames (inlined tag scanning); zeroing them on every call is measurable per
// element. Every local here is assigned before use (stackalloc buffers are cleared explicitly), so skip the zeroing.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
