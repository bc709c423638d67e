#include "io/config_keys.h"

#include <algorithm>

namespace w2v::io::config_keys {
namespace {

namespace fs = std::filesystem;

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

std::string Resolve(const std::string& path, const fs::path& base) {
  if (path.empty()) return path;  // "" means "none" for the optional paths
  const fs::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

}  // namespace

std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

std::string Prefix(const Origin& origin, const std::string& key) {
  return OneLine(absl::StrCat(origin.location, ": ", key, ": "));
}

absl::Status WrongType(const Origin& origin, const std::string& key, const char* expected,
                       const toml::node& node) {
  return absl::InvalidArgumentError(
      absl::StrCat(Prefix(origin, key), "expected ", expected, ", got ", TypeName(node)));
}

KeySpec NewSpec(std::string key, std::string type, std::string range, std::string meaning) {
  KeySpec spec;
  spec.key = std::move(key);
  spec.type = std::move(type);
  spec.range = std::move(range);
  spec.meaning = std::move(meaning);
  return spec;
}

KeySpec DoubleKey(const char* key, Field<double> field, DoubleRange range, const char* meaning) {
  const std::string range_text =
      absl::StrCat(range.min_exclusive ? "(" : "[", ShortestDouble(range.min), ", ",
                   ShortestDouble(range.max), "]");
  KeySpec spec = NewSpec(key, "float", range_text, meaning);
  spec.read = [key = spec.key, field, range, range_text](
                  const toml::node& node, const Origin& origin, TrainConfig& config) {
    double v = 0;
    if (const auto* f = node.as_floating_point()) {
      v = f->get();
    } else if (const auto* i = node.as_integer()) {
      v = static_cast<double>(i->get());
    } else {
      return WrongType(origin, key, "a number", node);
    }
    // Written so that NaN fails too.
    const bool above_min = range.min_exclusive ? v > range.min : v >= range.min;
    if (!(above_min && v <= range.max)) {
      return absl::OutOfRangeError(
          absl::StrCat(Prefix(origin, key), ShortestDouble(v), " is out of range ", range_text));
    }
    field(config) = v;
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlDouble(Get(field, config)); };
  return spec;
}

KeySpec BoolKey(const char* key, Field<bool> field, const char* meaning) {
  KeySpec spec = NewSpec(key, "boolean", "true, false", meaning);
  spec.read = [key = spec.key, field](const toml::node& node, const Origin& origin,
                                      TrainConfig& config) {
    const auto* value = node.as_boolean();
    if (value == nullptr) return WrongType(origin, key, "a boolean", node);
    field(config) = value->get();
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) {
    return std::string(Get(field, config) ? "true" : "false");
  };
  return spec;
}

KeySpec StringKey(const char* key, Field<std::string> field, bool is_path, const char* meaning) {
  KeySpec spec = NewSpec(key, is_path ? "path" : "string", "any", meaning);
  spec.string_like = true;
  spec.read = [key = spec.key, field, is_path](const toml::node& node, const Origin& origin,
                                               TrainConfig& config) {
    const auto* value = node.as_string();
    if (value == nullptr) return WrongType(origin, key, "a string", node);
    field(config) = is_path ? Resolve(value->get(), origin.base) : value->get();
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlString(Get(field, config)); };
  if (is_path) {
    spec.resolve = [field](TrainConfig& config, const fs::path& base) {
      field(config) = Resolve(field(config), base);
    };
  }
  return spec;
}

KeySpec StringListKey(const char* key, Field<std::vector<std::string>> field, bool is_path,
                      const char* meaning) {
  KeySpec spec =
      NewSpec(key, is_path ? "array of paths" : "array of strings", "non-empty strings", meaning);
  spec.string_like = true;
  spec.is_list = true;
  spec.read = [key = spec.key, field, is_path](const toml::node& node, const Origin& origin,
                                               TrainConfig& config) {
    // A single string is a list of one: `--set corpus.paths=/data/x.txt` as users type it.
    const auto* array = node.as_array();
    if (array == nullptr && !node.is_string()) {
      return WrongType(origin, key, "an array of strings, or a string", node);
    }
    const size_t count = array != nullptr ? array->size() : 1;
    std::vector<std::string> items;
    for (size_t i = 0; i < count; ++i) {
      const toml::node& item = array != nullptr ? *array->get(i) : node;
      // Elements can sit on lines of their own, so each is located by its own line.
      Origin item_origin = origin;
      if (!origin.file.empty()) {
        item_origin.location = absl::StrCat(origin.file, ":", item.source().begin.line);
      }
      const std::string item_key = array != nullptr ? absl::StrCat(key, "[", i, "]") : key;
      const auto* text = item.as_string();
      if (text == nullptr) return WrongType(item_origin, item_key, "a string", item);
      if (text->get().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(Prefix(item_origin, item_key), "must not be empty"));
      }
      items.push_back(is_path ? Resolve(text->get(), origin.base) : text->get());
    }
    field(config) = std::move(items);
    return absl::OkStatus();
  };
  spec.write = [field](const TrainConfig& config) { return TomlStringArray(Get(field, config)); };
  if (is_path) {
    spec.resolve = [field](TrainConfig& config, const fs::path& base) {
      for (std::string& path : field(config)) path = Resolve(path, base);
    };
  }
  return spec;
}

}  // namespace w2v::io::config_keys
