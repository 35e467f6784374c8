# clipthat_module(NAME SOURCES ... DEPS ... TESTS ...)
# Declares one domain library `clipthat_NAME` from SOURCES, linked to DEPS, and one
# GoogleTest executable per file in TESTS (unit tests sit beside the code they test).
function(clipthat_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;TESTS" ${ARGN})
  add_library(clipthat_${name} STATIC ${M_SOURCES})
  target_include_directories(clipthat_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(clipthat_${name} PUBLIC ${M_DEPS} PRIVATE clipthat_warnings)
  if(CLIPTHAT_BUILD_TESTS AND M_TESTS)
    foreach(test_src ${M_TESTS})
      get_filename_component(test_name ${test_src} NAME_WE)
      add_executable(${test_name} ${test_src})
      add_dependencies(unit_tests ${test_name})
      target_link_libraries(${test_name} PRIVATE clipthat_${name} clipthat_testing
                                                 GTest::gtest GTest::gtest_main clipthat_warnings)
      gtest_discover_tests(${test_name} DISCOVERY_TIMEOUT 60
                           PROPERTIES LABELS unit)
    endforeach()
  endif()
endfunction()

# clipthat_glob_module(NAME DEPS ...)
# The same as clipthat_module, with the sources and tests found in the module's folder (and its
# subfolders): every *.cc is a source, every *_test.cc a test. A folder with no sources yet
# declares nothing.
function(clipthat_glob_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(tests ${sources})
  list(FILTER sources EXCLUDE REGEX "_test\\.cc$")
  list(FILTER tests INCLUDE REGEX "_test\\.cc$")
  if(sources)
    clipthat_module(${name} SOURCES ${sources} DEPS ${M_DEPS} TESTS ${tests})
  endif()
endfunction()
