#include <zlib.h>

// zlib's init functions are macros (they pass the library's version and struct size).
static inline int kp_inflate_init(z_stream *s) { return inflateInit(s); }
static inline int kp_deflate_init(z_stream *s, int level) { return deflateInit(s, level); }
