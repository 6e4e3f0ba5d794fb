/*
 * Make errors in a language tab that is not on screen visible. modeltranslation marks a tab
 * with "ui-tab-has-errors" only when the error sits on the field's own row; this also marks
 * every tab whose panel holds an error list, names the error for screen readers, and shows
 * the first tab with an error in each group of tabs.
 * Runs after modeltranslation's tabbed_translation_fields.js has built the tabs.
 */
"use strict";
(function ($) {
  $(function () {
    var label = document.getElementById("news-tab-error-label");
    var text = label ? label.textContent.trim() : "error";

    $(".ui-tabs").each(function () {
      var $tabs = $(this);
      var firstError = -1;
      $tabs.children(".ui-tabs-nav").children("li").each(function (index) {
        var $tab = $(this);
        var panel = document.getElementById($tab.attr("aria-controls"));
        var hasError =
          $tab.hasClass("ui-tab-has-errors") || $(panel).find(".errorlist").length > 0;
        if (!hasError) {
          return;
        }
        $tab.addClass("ui-tab-has-errors");
        if (!$tab.find(".news-tab-error").length) {
          $("<span class='news-tab-error'></span>").text(" (" + text + ")").appendTo($tab.find("a"));
        }
        if (firstError < 0) {
          firstError = index;
        }
      });
      if (firstError >= 0 && !$tabs.children(".ui-tabs-nav").children("li.ui-tabs-active").hasClass("ui-tab-has-errors")) {
        $tabs.tabs("option", "active", firstError);
      }
    });
  });
})(django.jQuery);
