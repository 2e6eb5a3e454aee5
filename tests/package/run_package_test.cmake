# cmake -P script behind the package_find_package test (tests/package/CMakeLists.txt).
# Installs RUNNEL_BUILD_DIR into WORK_DIR/prefix, builds CONSUMER_SOURCE_DIR against it
# in WORK_DIR/build with the same compiler and build type, and runs the result. Sanitizer
# flags come with the installed targets (cmake/Install.cmake), not from here.
foreach(var RUNNEL_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_package_test.cmake: ${var} is not set")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package test: ${step} failed (${rc}): ${ARGN}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${prefix})

run("install" ${CMAKE_COMMAND} --install ${RUNNEL_BUILD_DIR} --prefix ${prefix})

# The package holds the library's headers and the CLI; not the broker's internals.
foreach(file include/runnel/streams/topology.h include/runnel/streams/internal/dsl_builder.h
             include/runnel/client/producer.h include/runnel/common/status.h include/runnel/net/http_server.h
             bin/runnel)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "package test: ${file} is not installed")
  endif()
endforeach()
foreach(dir broker storage protocol cli)
  if(EXISTS ${prefix}/include/runnel/${dir})
    message(FATAL_ERROR "package test: include/runnel/${dir} should not be installed")
  endif()
endforeach()
run("runnel --help" ${prefix}/bin/runnel --help)

# A fresh configure each time (the prefix changed); the object file stays cached by ccache.
file(REMOVE_RECURSE ${build})
set(configure_args -S ${CONSUMER_SOURCE_DIR} -B ${build} -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(BUILD_TYPE)
  list(APPEND configure_args -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
endif()
if(CCACHE)
  list(APPEND configure_args -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
run("configure the consumer" ${CMAKE_COMMAND} ${configure_args})
run("build the consumer" ${CMAKE_COMMAND} --build ${build})
run("run the consumer" ${build}/consumer)
