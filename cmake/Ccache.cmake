# Use ccache when it is installed. base_dir makes paths relative, so a fresh clone in
# another folder still hits the cache.
find_program(RUNNEL_CCACHE ccache)
if(RUNNEL_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=true ${RUNNEL_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${CMAKE_CXX_COMPILER_LAUNCHER})
endif()
