# Warning flags of STYLE.md §16 (git config.mak.dev, curl PickyWarnings).
function(mc_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wcast-qual -Wwrite-strings -Wvla -Wformat=2
    -fno-common)
  if(MC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
