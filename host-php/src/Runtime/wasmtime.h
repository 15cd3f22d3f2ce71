/*
 * Minimal declarations of wasmtime's C API 50.0.1 for PHP's FFI::cdef().
 *
 * Hand-written from the headers of the Rust crate wasmtime-c-api-impl 50.0.1
 * (include/wasm.h, include/wasmtime/*.h, include/wasmtime/component/*.h) and
 * checked against the shared library of the PyPI wheel wasmtime==50.0.1
 * (wasmtime/linux-x86_64/_libwasmtime.so): every function below is exported
 * by it (nm -D), every struct size matches gcc's (see wasmtime-layout.json).
 *
 * No preprocessor: PHP's FFI parser takes plain C declarations only.
 * Byte buffers are declared `const char *` where the real header says
 * `const uint8_t *` (same ABI), so PHP strings can be passed directly.
 * The version string WASMTIME_VERSION is a macro, not an exported symbol:
 * there is no version function to call; pin the library by its path.
 * Pinned to 50.0.1: the layouts change between majors.
 */

/* ---- core types (wasm.h) ---- */

typedef char byte_t;
typedef float float32_t;
typedef double float64_t;
typedef byte_t wasm_byte_t;

typedef struct wasm_byte_vec_t {
  size_t size;
  wasm_byte_t *data;
} wasm_byte_vec_t;

typedef wasm_byte_vec_t wasm_name_t;
typedef wasm_name_t wasm_message_t;

typedef struct wasm_config_t wasm_config_t;
typedef struct wasm_engine_t wasm_engine_t;
typedef struct wasm_trap_t wasm_trap_t;

void wasm_byte_vec_delete(wasm_byte_vec_t *);

wasm_config_t *wasm_config_new(void);
wasm_engine_t *wasm_engine_new_with_config(wasm_config_t *);
void wasm_engine_delete(wasm_engine_t *);

void wasm_trap_message(const wasm_trap_t *, wasm_message_t *out);
void wasm_trap_delete(wasm_trap_t *);

/* ---- wasmtime: config, errors, traps, store ---- */

void wasmtime_config_consume_fuel_set(wasm_config_t *, bool);

typedef struct wasmtime_error wasmtime_error_t;
void wasmtime_error_delete(wasmtime_error_t *error);
void wasmtime_error_message(const wasmtime_error_t *error, wasm_name_t *message);

typedef uint8_t wasmtime_trap_code_t;
/* Codes 0-17 of the 50.0.1 enum (it goes on with component-model-async codes). */
enum wasmtime_trap_code_enum {
  WASMTIME_TRAP_CODE_STACK_OVERFLOW = 0,
  WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS = 1,
  WASMTIME_TRAP_CODE_HEAP_MISALIGNED = 2,
  WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS = 3,
  WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL = 4,
  WASMTIME_TRAP_CODE_BAD_SIGNATURE = 5,
  WASMTIME_TRAP_CODE_INTEGER_OVERFLOW = 6,
  WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO = 7,
  WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER = 8,
  WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED = 9,
  WASMTIME_TRAP_CODE_INTERRUPT = 10,
  WASMTIME_TRAP_CODE_OUT_OF_FUEL = 11,
  WASMTIME_TRAP_CODE_ATOMIC_WAIT_NON_SHARED_MEMORY = 12,
  WASMTIME_TRAP_CODE_NULL_REFERENCE = 13,
  WASMTIME_TRAP_CODE_ARRAY_OUT_OF_BOUNDS = 14,
  WASMTIME_TRAP_CODE_ALLOCATION_TOO_LARGE = 15,
  WASMTIME_TRAP_CODE_CAST_FAILURE = 16,
  WASMTIME_TRAP_CODE_CANNOT_ENTER_COMPONENT = 17
};
bool wasmtime_trap_code(const wasm_trap_t *, wasmtime_trap_code_t *code);

typedef struct wasmtime_store wasmtime_store_t;
typedef struct wasmtime_context wasmtime_context_t;

wasmtime_store_t *wasmtime_store_new(wasm_engine_t *engine, void *data,
                                     void (*finalizer)(void *));
wasmtime_context_t *wasmtime_store_context(wasmtime_store_t *store);
void wasmtime_store_delete(wasmtime_store_t *store);
void wasmtime_store_limiter(wasmtime_store_t *store, int64_t memory_size, int64_t table_elements,
                            int64_t instances, int64_t tables, int64_t memories);
wasmtime_error_t *wasmtime_context_set_fuel(wasmtime_context_t *store,
                                            uint64_t fuel);
wasmtime_error_t *wasmtime_context_get_fuel(const wasmtime_context_t *context,
                                            uint64_t *fuel);

/* ---- component model: values (wasmtime/component/val.h) ---- */

typedef struct wasmtime_component_resource_any
    wasmtime_component_resource_any_t;

typedef uint8_t wasmtime_component_valkind_t;
enum wasmtime_component_valkind_enum {
  WASMTIME_COMPONENT_BOOL = 0,
  WASMTIME_COMPONENT_S8 = 1,
  WASMTIME_COMPONENT_U8 = 2,
  WASMTIME_COMPONENT_S16 = 3,
  WASMTIME_COMPONENT_U16 = 4,
  WASMTIME_COMPONENT_S32 = 5,
  WASMTIME_COMPONENT_U32 = 6,
  WASMTIME_COMPONENT_S64 = 7,
  WASMTIME_COMPONENT_U64 = 8,
  WASMTIME_COMPONENT_F32 = 9,
  WASMTIME_COMPONENT_F64 = 10,
  WASMTIME_COMPONENT_CHAR = 11,
  WASMTIME_COMPONENT_STRING = 12,
  WASMTIME_COMPONENT_LIST = 13,
  WASMTIME_COMPONENT_RECORD = 14,
  WASMTIME_COMPONENT_TUPLE = 15,
  WASMTIME_COMPONENT_VARIANT = 16,
  WASMTIME_COMPONENT_ENUM = 17,
  WASMTIME_COMPONENT_OPTION = 18,
  WASMTIME_COMPONENT_RESULT = 19,
  WASMTIME_COMPONENT_FLAGS = 20,
  WASMTIME_COMPONENT_RESOURCE = 21,
  WASMTIME_COMPONENT_MAP = 22
};

struct wasmtime_component_val;
struct wasmtime_component_valrecord_entry;
struct wasmtime_component_valmap_entry;

typedef struct wasmtime_component_vallist {
  size_t size;
  struct wasmtime_component_val *data;
} wasmtime_component_vallist_t;

typedef struct wasmtime_component_valrecord {
  size_t size;
  struct wasmtime_component_valrecord_entry *data;
} wasmtime_component_valrecord_t;

typedef struct wasmtime_component_valtuple {
  size_t size;
  struct wasmtime_component_val *data;
} wasmtime_component_valtuple_t;

typedef struct wasmtime_component_valflags {
  size_t size;
  wasm_name_t *data;
} wasmtime_component_valflags_t;

typedef struct wasmtime_component_valmap {
  size_t size;
  struct wasmtime_component_valmap_entry *data;
} wasmtime_component_valmap_t;

typedef struct {
  wasm_name_t discriminant;
  struct wasmtime_component_val *val;
} wasmtime_component_valvariant_t;

typedef struct {
  bool is_ok;
  struct wasmtime_component_val *val;
} wasmtime_component_valresult_t;

typedef union {
  bool boolean;
  int8_t s8;
  uint8_t u8;
  int16_t s16;
  uint16_t u16;
  int32_t s32;
  uint32_t u32;
  int64_t s64;
  uint64_t u64;
  float32_t f32;
  float64_t f64;
  uint32_t character;
  wasm_name_t string;
  wasmtime_component_vallist_t list;
  wasmtime_component_valrecord_t record;
  wasmtime_component_valtuple_t tuple;
  wasmtime_component_valvariant_t variant;
  wasm_name_t enumeration;
  struct wasmtime_component_val *option;
  wasmtime_component_valresult_t result;
  wasmtime_component_valflags_t flags;
  wasmtime_component_valmap_t map;
  wasmtime_component_resource_any_t *resource;
} wasmtime_component_valunion_t;

typedef struct wasmtime_component_val {
  wasmtime_component_valkind_t kind;
  wasmtime_component_valunion_t of;
} wasmtime_component_val_t;

typedef struct wasmtime_component_valrecord_entry {
  wasm_name_t name;
  wasmtime_component_val_t val;
} wasmtime_component_valrecord_entry_t;

typedef struct wasmtime_component_valmap_entry {
  wasmtime_component_val_t key;
  wasmtime_component_val_t value;
} wasmtime_component_valmap_entry_t;

void wasmtime_component_val_delete(wasmtime_component_val_t *value);

/* ---- component model: component, linker, instance, func ---- */

typedef struct wasmtime_component_t wasmtime_component_t;
typedef struct wasmtime_component_export_index_t
    wasmtime_component_export_index_t;
typedef struct wasmtime_component_linker_t wasmtime_component_linker_t;

/* The inner anonymous struct is real: it puts __private2 at offset 16. */
typedef struct wasmtime_component_func {
  struct {
    uint64_t store_id;
    uint32_t __private1;
  };
  uint32_t __private2;
  void *__private3;
} wasmtime_component_func_t;

typedef struct wasmtime_component_instance {
  uint64_t store_id;
  uint32_t __private;
} wasmtime_component_instance_t;

wasmtime_error_t *wasmtime_component_new(const wasm_engine_t *engine,
                                         const char *buf, size_t len,
                                         wasmtime_component_t **component_out);
wasmtime_error_t *wasmtime_component_serialize(
    const wasmtime_component_t *component, wasm_byte_vec_t *ret);
wasmtime_error_t *wasmtime_component_deserialize(
    const wasm_engine_t *engine, const char *buf, size_t len,
    wasmtime_component_t **component_out);
wasmtime_error_t *wasmtime_component_deserialize_file(
    const wasm_engine_t *engine, const char *path,
    wasmtime_component_t **component_out);
void wasmtime_component_delete(wasmtime_component_t *component);

wasmtime_component_export_index_t *wasmtime_component_get_export_index(
    const wasmtime_component_t *component,
    const wasmtime_component_export_index_t *instance_export_index,
    const char *name, size_t name_len);
wasmtime_component_export_index_t *wasmtime_component_instance_get_export_index(
    const wasmtime_component_instance_t *instance, wasmtime_context_t *context,
    const wasmtime_component_export_index_t *instance_export_index,
    const char *name, size_t name_len);
void wasmtime_component_export_index_delete(
    wasmtime_component_export_index_t *export_index);

wasmtime_component_linker_t *wasmtime_component_linker_new(
    const wasm_engine_t *engine);
wasmtime_error_t *wasmtime_component_linker_instantiate(
    const wasmtime_component_linker_t *linker, wasmtime_context_t *context,
    const wasmtime_component_t *component,
    wasmtime_component_instance_t *instance_out);
void wasmtime_component_linker_delete(wasmtime_component_linker_t *linker);

bool wasmtime_component_instance_get_func(
    const wasmtime_component_instance_t *instance, wasmtime_context_t *context,
    const wasmtime_component_export_index_t *export_index,
    wasmtime_component_func_t *func_out);

wasmtime_error_t *wasmtime_component_func_call(
    const wasmtime_component_func_t *func, wasmtime_context_t *context,
    const wasmtime_component_val_t *args, size_t args_size,
    wasmtime_component_val_t *results, size_t results_size);
wasmtime_error_t *wasmtime_component_func_post_return(
    const wasmtime_component_func_t *func, wasmtime_context_t *context);
