# Installs the stream-processing library as a CMake package, so that another project uses it
# exactly as examples/ does:
#
#   find_package(runnel REQUIRED)
#   target_link_libraries(app PRIVATE runnel::streams)
#
# Layout under the prefix:
#   bin/runnel                              the CLI (server, topics, produce, ...)
#   include/runnel/{common,client,streams,net}/ the headers, at the same relative paths as in
#                                           src/, so "streams/topology.h" works unchanged
#   lib/librunnel_{common,client,streams,net}.a
#   lib/cmake/runnel/                       runnelConfig.cmake, runnelConfigVersion.cmake,
#                                           runnelTargets*.cmake
# The broker, storage, protocol and cli modules are internal to the binary and not
# installed. docs/library.md has the user's side.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(RUNNEL_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/runnel)
set(RUNNEL_PACKAGE_MODULES common client streams net)

foreach(module ${RUNNEL_PACKAGE_MODULES})
  set_target_properties(runnel_${module} PROPERTIES EXPORT_NAME ${module})
  # The headers are C++20: a user's target linking the library compiles as C++20 at least.
  target_compile_features(runnel_${module} INTERFACE cxx_std_20)
  # Only headers: the templated DSL needs streams/internal/*.h as well.
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/src/${module}
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/runnel
          COMPONENT runnel_development
          FILES_MATCHING PATTERN "*.h")
endforeach()

# A sanitized build's static libraries need the sanitizer runtimes in whatever links them:
# the installed targets carry the flags (the in-tree build sets them globally already).
if(RUNNEL_SANITIZE)
  target_compile_options(runnel_common INTERFACE
    $<INSTALL_INTERFACE:-fsanitize=address;-fsanitize=undefined;-fno-omit-frame-pointer;-fno-sanitize-recover=undefined>)
  target_link_options(runnel_common INTERFACE $<INSTALL_INTERFACE:-fsanitize=address;-fsanitize=undefined>)
endif()

install(TARGETS runnel_common runnel_client runnel_streams runnel_net
        EXPORT runnelTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runnel_development)
install(TARGETS runnel RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runnel_runtime)

install(EXPORT runnelTargets
        NAMESPACE runnel::
        DESTINATION ${RUNNEL_INSTALL_CMAKEDIR}
        COMPONENT runnel_development)

configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/runnelConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/runnelConfig.cmake
                              INSTALL_DESTINATION ${RUNNEL_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/runnelConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION}
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/runnelConfig.cmake ${CMAKE_BINARY_DIR}/runnelConfigVersion.cmake
        DESTINATION ${RUNNEL_INSTALL_CMAKEDIR}
        COMPONENT runnel_development)
