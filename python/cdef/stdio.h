/* FILE stays opaque to cffi (python/CMakeLists.txt). */
typedef struct _IO_FILE FILE;
