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
      target_link_libraries(${test_name} PRIVATE clipthat_${name} clipthat_testing
                                                 GTest::gtest GTest::gtest_main clipthat_warnings)
      gtest_discover_tests(${test_name} DISCOVERY_TIMEOUT 60
                           PROPERTIES LABELS unit)
    endforeach()
  endif()
endfunction()
