#include "chat/emotes.h"

#include <algorithm>
#include <array>

namespace clipthat::chat {
namespace {

// Sorted, for binary search.
constexpr std::array<std::string_view, 64> kKnownEmotes = {"4Head",
                                                           "5Head",
                                                           "AYAYA",
                                                           "BabyRage",
                                                           "BibleThump",
                                                           "BloodTrail",
                                                           "CatJAM",
                                                           "Clap",
                                                           "CoolCat",
                                                           "CoolStoryBob",
                                                           "D:",
                                                           "DansGame",
                                                           "EZ",
                                                           "FailFish",
                                                           "FeelsBadMan",
                                                           "FeelsGoodMan",
                                                           "FeelsStrongMan",
                                                           "GachiGASM",
                                                           "HeyGuys",
                                                           "HotPokket",
                                                           "Jebaited",
                                                           "KEKW",
                                                           "Kappa",
                                                           "KappaPride",
                                                           "Kreygasm",
                                                           "LUL",
                                                           "LULW",
                                                           "MonkaS",
                                                           "NotLikeThis",
                                                           "OMEGALUL",
                                                           "OSFrog",
                                                           "OhMyDog",
                                                           "PJSalt",
                                                           "POGGERS",
                                                           "PogBones",
                                                           "PogChamp",
                                                           "Pog",
                                                           "PogU",
                                                           "Pepega",
                                                           "PepeHands",
                                                           "PepeLaugh",
                                                           "ResidentSleeper",
                                                           "SMOrc",
                                                           "SeemsGood",
                                                           "SourPls",
                                                           "Sadge",
                                                           "SwiftRage",
                                                           "TriHard",
                                                           "TwitchUnity",
                                                           "VoHiYo",
                                                           "WutFace",
                                                           "catJAM",
                                                           "forsenCD",
                                                           "haHAA",
                                                           "monkaS",
                                                           "monkaW",
                                                           "peepoClap",
                                                           "peepoHappy",
                                                           "pepeD",
                                                           "pepeLaugh",
                                                           "widepeepoHappy",
                                                           "xqcL",
                                                           "Stare",
                                                           "Aware"};

struct Sorted {
  std::array<std::string_view, kKnownEmotes.size()> names = kKnownEmotes;
  Sorted() { std::sort(names.begin(), names.end()); }
};

const Sorted& SortedEmotes() {
  static const Sorted sorted;
  return sorted;
}

}  // namespace

bool IsKnownEmote(std::string_view word) {
  const auto& names = SortedEmotes().names;
  return std::binary_search(names.begin(), names.end(), word);
}

int CountKnownEmotes(std::string_view text) {
  int count = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos && IsKnownEmote(text.substr(pos, end - pos))) ++count;
    pos = end + 1;
  }
  return count;
}

}  // namespace clipthat::chat
