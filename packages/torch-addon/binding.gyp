{
  "targets": [
    {
      "target_name": "myelin_torch",
      "sources": ["native/myelin_torch.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/gyp-config.mjs include_dirs)"
      ],
      "libraries": ["<!@(node scripts/gyp-config.mjs libraries)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-O2", "-fno-math-errno", "-fvect-cost-model=dynamic", "-fexceptions", "-frtti", "-Wno-unused-parameter", "<!@(node scripts/gyp-config.mjs cflags)"]
    }
  ]
}
