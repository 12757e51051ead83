# The hardening Debian builds its packages with (dpkg-buildflags
# hardening=+all; docs/security.md "Build"): stack protector and stack
# clash protection, control-flow protection, _FORTIFY_SOURCE=2 where the
# code is optimized, position-independent executables, read-only
# relocations bound at start (full RELRO), no executable stack.
# Sanitizer builds go without: they instrument the same things their way.
if(NOT MC_SANITIZE)
  include(CheckPIESupported)
  check_pie_supported()
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  add_compile_options(-fstack-protector-strong -fstack-clash-protection)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|i.86")
    add_compile_options(-fcf-protection)
  endif()
  add_compile_options("$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE>"
                      "$<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>")
  add_link_options(-Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)
endif()
