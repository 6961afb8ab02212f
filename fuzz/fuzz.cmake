# Passed as CMAKE_PROJECT_INCLUDE by scripts/fuzz.sh: adds the fuzz target
# once the whole project is configured (the top-level CMakeLists.txt stays
# unaware of it). Arguments of a deferred call are expanded when it runs.
cmake_language(DEFER CALL include ${CMAKE_SOURCE_DIR}/fuzz/CMakeLists.txt)
