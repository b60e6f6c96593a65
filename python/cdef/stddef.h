/* Empty: cffi knows size_t. amorph.h is preprocessed against these (python/CMakeLists.txt) so that the C
 * declarations cffi reads are amorph's alone. */
