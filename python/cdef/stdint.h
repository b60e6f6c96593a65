/* Empty: cffi knows the fixed-width integer types (python/CMakeLists.txt). */
