# Applied to the project's own targets only (not to third-party headers).
function(runnel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()

# Declares a module library: runnel_module(NAME deps... SOURCES files...).
function(runnel_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(runnel_${name} STATIC ${M_SOURCES})
  add_library(runnel::${name} ALIAS runnel_${name})
  # In the tree, headers are included as "streams/topology.h" from src/; installed, the same
  # paths resolve under <prefix>/include/runnel (cmake/Install.cmake).
  target_include_directories(runnel_${name} PUBLIC $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/src>
                                                  $<INSTALL_INTERFACE:include/runnel>)
  target_link_libraries(runnel_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  runnel_warnings(runnel_${name})
endfunction()
