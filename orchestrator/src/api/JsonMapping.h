#pragma once
// One JSON mapping per view type: its fields in document order, each a key, the view's member and
// a codec (how that member's type looks on the wire). The writer and the reader of the type both
// walk the same list, so a field is declared once and the two cannot drift apart:
//
//   const auto kHostMapping = mappingOf<HostView>(
//       field("name", &HostView::name, Text{Presence::Required}),
//       field("since", &HostView::since, Instant{}), ...);
//   kHostMapping.write(host);    // an ordered Poco object, every field in list order
//   kHostMapping.read(fields);   // Result<HostView>; the first bad field names itself
//
// A reader error names the field by its path and says what was wrong ("hosts[1].maintenance:
// missing (expected true or false)"), as JsonFields words it.
#include "JsonSupport.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace faxover::orchestrator::api {

// Whether a reader refuses a document without the field. Writers emit every field. An optional
// field reads as its empty value when absent or null, so a newer daemon may add one without
// breaking an older CLI, and a newer CLI still reads an older daemon: a new field is Optional
// unless the value means nothing without it.
enum class Presence { Required, Optional };

// ---- codecs: `void write(Object&, key, const T&)` and `Result<T> read(const JsonFields&, key)`

// std::string as a JSON string.
struct Text {
    Presence presence = Presence::Optional;
    void write(Poco::JSON::Object& object, const std::string& key, const std::string& value) const {
        object.set(key, value);
    }
    Result<std::string> read(const JsonFields& fields, const std::string& key) const {
        return presence == Presence::Required ? fields.requiredString(key) : fields.optionalString(key);
    }
};

// bool as true or false; an optional one reads as false when absent.
struct Flag {
    Presence presence = Presence::Required;
    void write(Poco::JSON::Object& object, const std::string& key, bool value) const { object.set(key, value); }
    Result<bool> read(const JsonFields& fields, const std::string& key) const {
        return presence == Presence::Required ? fields.requiredBool(key) : fields.optionalBool(key);
    }
};

// An instant as ISO 8601 UTC with milliseconds (toIsoUtc); always required.
struct Instant {
    void write(Poco::JSON::Object& object, const std::string& key, WallTime value) const {
        object.set(key, toIsoUtc(value));
    }
    Result<WallTime> read(const JsonFields& fields, const std::string& key) const { return fields.requiredTime(key); }
};

// An instant that may be unset (no heartbeat yet): null, not absent, when unset, so a script sees
// the same keys in every document.
struct MaybeInstant {
    void write(Poco::JSON::Object& object, const std::string& key, const std::optional<WallTime>& value) const {
        if (value) {
            object.set(key, toIsoUtc(*value));
        } else {
            object.set(key, Poco::Dynamic::Var());
        }
    }
    Result<std::optional<WallTime>> read(const JsonFields& fields, const std::string& key) const {
        return fields.optionalTime(key);
    }
};

// A fraction from 0 to 1 (a migration's progress); left out of the document when unset.
struct Fraction {
    void write(Poco::JSON::Object& object, const std::string& key, const std::optional<double>& value) const {
        if (value) object.set(key, *value);
    }
    Result<std::optional<double>> read(const JsonFields& fields, const std::string& key) const {
        return fields.optionalFraction(key);
    }
};

// A whole number of type Int from `least` to `most`; an optional one reads as 0 when absent.
template <class Int>
struct Whole {
    std::int64_t least = 0;
    std::int64_t most = 0;
    Presence presence = Presence::Required;
    void write(Poco::JSON::Object& object, const std::string& key, Int value) const {
        object.set(key, static_cast<Poco::Int64>(value));
    }
    Result<Int> read(const JsonFields& fields, const std::string& key) const {
        if (presence == Presence::Required) {
            BOOST_OUTCOME_TRY(number, fields.requiredInteger(key, least, most));
            return static_cast<Int>(number);
        }
        BOOST_OUTCOME_TRY(number, fields.optionalInteger(key, least, most));
        return static_cast<Int>(number.value_or(0));
    }
};

// A duration in whole milliseconds up to `most`, null (not absent) when unset: a script sees the
// same keys in every document.
struct Milliseconds {
    std::int64_t most = 0;
    void write(Poco::JSON::Object& object, const std::string& key,
               const std::optional<std::chrono::milliseconds>& value) const {
        if (value) {
            object.set(key, static_cast<Poco::Int64>(value->count()));
        } else {
            object.set(key, Poco::Dynamic::Var());
        }
    }
    Result<std::optional<std::chrono::milliseconds>> read(const JsonFields& fields, const std::string& key) const {
        BOOST_OUTCOME_TRY(number, fields.optionalInteger(key, 0, most));
        if (!number) return std::optional<std::chrono::milliseconds>{};
        return std::optional<std::chrono::milliseconds>{std::chrono::milliseconds(*number)};
    }
};

// A list of values as a JSON array of objects, each by `mapping` (a Mapping of Element); required.
template <class Element, class ElementMapping>
struct ListOf {
    const ElementMapping* mapping = nullptr;
    void write(Poco::JSON::Object& object, const std::string& key, const std::vector<Element>& values) const {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& value : values) array->add(mapping->write(value));
        object.set(key, array);
    }
    Result<std::vector<Element>> read(const JsonFields& fields, const std::string& key) const {
        BOOST_OUTCOME_TRY(array, fields.requiredArray(key));
        return mapping->readArray(*array, fields.pathOf(key));
    }
};

// A value as a JSON object by `mapping`; absent or null reads as the value's default (an older
// daemon's document), a field of the wrong type names itself by its path.
template <class Element, class ElementMapping>
struct ObjectOf {
    const ElementMapping* mapping = nullptr;
    void write(Poco::JSON::Object& object, const std::string& key, const Element& value) const {
        object.set(key, mapping->write(value));
    }
    Result<Element> read(const JsonFields& fields, const std::string& key) const {
        BOOST_OUTCOME_TRY(inner, fields.optionalObject(key));
        if (inner.isNull()) return Element{};
        return mapping->read(JsonFields(inner, fields.pathOf(key)));
    }
};

// The same for a value that may be unset: null when unset, and absent or null reads as unset.
template <class Element, class ElementMapping>
struct MaybeObjectOf {
    const ElementMapping* mapping = nullptr;
    void write(Poco::JSON::Object& object, const std::string& key, const std::optional<Element>& value) const {
        if (value) {
            object.set(key, mapping->write(*value));
        } else {
            object.set(key, Poco::Dynamic::Var());
        }
    }
    Result<std::optional<Element>> read(const JsonFields& fields, const std::string& key) const {
        BOOST_OUTCOME_TRY(inner, fields.optionalObject(key));
        if (inner.isNull()) return std::optional<Element>{};
        BOOST_OUTCOME_TRY(value, mapping->read(JsonFields(inner, fields.pathOf(key))));
        return std::optional<Element>{std::move(value)};
    }
};

// ---- fields and mappings

template <class View, class Member, class Codec>
struct Field {
    const char* key;
    Member View::*member;
    Codec codec;
};

template <class View, class Member, class Codec>
constexpr Field<View, Member, Codec> field(const char* key, Member View::*member, Codec codec) {
    return {key, member, codec};
}

template <class View, class... Fields>
class Mapping {
public:
    using Value = View;

    explicit Mapping(Fields... fields) : fields_(std::move(fields)...) {}

    Poco::JSON::Object::Ptr write(const View& view) const {
        Poco::JSON::Object::Ptr object = orderedObject();
        std::apply([&](const auto&... each) { (each.codec.write(*object, each.key, view.*each.member), ...); }, fields_);
        return object;
    }

    // A document that is a list of views (`faxover boards`, the licences).
    std::string writeArray(const std::vector<View>& views, JsonStyle style) const {
        if (views.empty()) return "[]";  // Poco indents an empty array over three lines
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& view : views) array->add(write(view));
        return stringify(array, style);
    }

    // Fields are read in list order; the first that fails is the error.
    Result<View> read(const JsonFields& fields) const {
        View view{};
        std::optional<Error> failure;
        std::apply([&](const auto&... each) { (readInto(each, fields, view, failure) && ...); }, fields_);
        if (failure) return *failure;
        return view;
    }

    // Every element of `array`, named path[index] in errors.
    Result<std::vector<View>> readArray(const Poco::JSON::Array& array, const std::string& path) const {
        std::vector<View> views;
        for (std::size_t index = 0; index < array.size(); ++index) {
            BOOST_OUTCOME_TRY(element, JsonFields::at(array, path, index));
            BOOST_OUTCOME_TRY(view, read(element));
            views.push_back(std::move(view));
        }
        return views;
    }

private:
    template <class Each>
    static bool readInto(const Each& each, const JsonFields& fields, View& view, std::optional<Error>& failure) {
        auto value = each.codec.read(fields, each.key);
        if (!value) {
            failure = value.error();
            return false;
        }
        view.*each.member = std::move(value).value();
        return true;
    }

    std::tuple<Fields...> fields_;
};

template <class View, class... Fields>
Mapping<View, Fields...> mappingOf(Fields... fields) {
    return Mapping<View, Fields...>(std::move(fields)...);
}

// The codec of a list field whose elements `mapping` maps: listOf(kHolderMapping).
template <class ElementMapping>
ListOf<typename ElementMapping::Value, ElementMapping> listOf(const ElementMapping& mapping) {
    return {&mapping};
}

// The codecs of a field that is one object (objectOf) or an object or null (maybeObjectOf) by `mapping`.
template <class ElementMapping>
ObjectOf<typename ElementMapping::Value, ElementMapping> objectOf(const ElementMapping& mapping) {
    return {&mapping};
}
template <class ElementMapping>
MaybeObjectOf<typename ElementMapping::Value, ElementMapping> maybeObjectOf(const ElementMapping& mapping) {
    return {&mapping};
}

}  // namespace faxover::orchestrator::api
