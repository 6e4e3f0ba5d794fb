/*
 * Make modeltranslation's language tabs (jQuery UI tabs) usable with a screen reader.
 *
 * - A tab (li role="tab") must not hold a link of its own: an interactive control inside
 *   another is announced twice and reached twice. jQuery UI reads each link's href once, when
 *   it builds the tabs, to find the panels (all on the page); after that the links lose their
 *   href and focusability, and the tabs stop asking whether a panel must be fetched.
 * - The switch that shows one language in every group of tabs gets a name.
 *
 * Loaded after tabbed_translation_fields.js, before the page is ready: the handler below sees
 * every group of tabs, the ones built when an inline row is added included.
 */
"use strict";
(function ($) {
  $(document).on("tabscreate", function (event) {
    var $tabs = $(event.target);
    $tabs.tabs("instance")._isLocal = function () {
      return true;
    };
    $tabs.find(".ui-tabs-nav .ui-tabs-anchor").removeAttr("href").removeAttr("tabindex");
  });

  $(function () {
    var text = document.getElementById("language-tabs-text");
    if (text) {
      $("#modeltranslation-main-switch").attr("aria-label", text.dataset.switchLabel);
    }
  });
})(django.jQuery);
